using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>
/// The C# compiler server (VBCSCompiler) the gates of one agent mission share. Outside a sandbox, builds reuse a server
/// that stays warm from earlier builds; inside one, each gate process is a fresh PID namespace where a server would
/// start cold and die with the gate, which made a sandboxed build gate half again as slow. This keeps one server in a
/// long-lived process of the gates' own sandbox (the gates' policy and private <c>/tmp</c>, where every gate build
/// finds its pipe), warmed by compiling a one-file project while the agent works, and stops it as soon as the gates
/// are done: analyzers and source generators of agent-written code run inside it, so nothing of theirs may outlive
/// the gates or reach the commit. The agent's sandbox cannot see the gates' <c>/tmp</c>, so it cannot talk to it.
/// </summary>
internal sealed class GateCompilerServer : IAsyncDisposable
{
    private const string Folder = "loops-compiler-server"; // also in Script

    // The compiler server exits after ten idle minutes; an agent may work longer. A compile every four minutes
    // keeps it warm for the gates.
    private const string Script = """
        cd /tmp/loops-compiler-server || exit 1
        build="dotnet build warmup.csproj -nologo -v:q -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false"
        $build > warmup.log 2>&1
        echo $? > warm
        while :; do
          sleep 240
          touch Warmup.cs
          $build > /dev/null 2>&1
        done
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _host;
    private readonly string _warmMarker;

    private GateCompilerServer(ProcessRunner gateProcesses, string hostFolder, string workingDirectory)
    {
        _warmMarker = Path.Combine(hostFolder, "warm");

        // The working directory must exist outside the sandbox too (bwrap starts there); the script moves into /tmp.
        var spec = new ProcessSpec("/bin/sh", ["-c", Script], workingDirectory) { Network = false };
        _host = Task.Run(() => gateProcesses.RunAsync(spec, _stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Starts the server's host process in the gates' sandbox; <paramref name="gateTemp"/> is the host path of the
    /// folder the sandbox sees as <c>/tmp</c>, <paramref name="clone"/> the mission's clone.
    /// </summary>
    public static GateCompilerServer Start(ProcessRunner gateProcesses, string gateTemp, string clone)
    {
        var hostFolder = Path.Combine(gateTemp, Folder);
        Directory.CreateDirectory(hostFolder);
        File.WriteAllText(Path.Combine(hostFolder, "warmup.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(hostFolder, "Warmup.cs"), "namespace Warmup;\n\npublic static class Ready\n{\n    public static string Say(int n) => $\"{n} {DateTime.Now:O}\";\n}\n");
        return new GateCompilerServer(gateProcesses, hostFolder, clone);
    }

    /// <summary>Waits until the first warm-up compile finished, at most <paramref name="limit"/>; false when it did not.</summary>
    public async Task<bool> WaitWarmAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow + limit;
        while (!File.Exists(_warmMarker) && !_host.IsCompleted && DateTime.UtcNow < deadline)
        {
            await timer.WaitForNextTickAsync(cancellationToken);
        }

        return File.Exists(_warmMarker);
    }

    /// <summary>Stops the host process, and with its namespace the server and everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _host;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ToolNotFoundException)
        {
            // Stopped, as asked (killing a process tree that is already going reports the tree as missing).
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
