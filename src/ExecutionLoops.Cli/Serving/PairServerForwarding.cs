using System.Runtime.InteropServices;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Serving;

/// <summary>
/// The <c>loops</c> process's side of the warm pair server, as the MSBuild task's: a pair call (<c>loops pair
/// checkpoint</c>, <c>status</c>, …) is handed to the server of its repository when one runs, before this process builds
/// its command line or opens the repository; the process then only relays the answer (a server that is missing, refuses
/// or breaks off costs nothing but the look: the process runs the call itself). A call that ran here starts the server
/// for the next one. The policy is the MSBuild targets': no server in CI, with node reuse off or with the compiler server
/// off (<c>UseSharedCompilation=false</c>); <c>LOOPS_PAIR_SERVER</c> (<c>true</c>/<c>false</c>) decides first.
/// </summary>
internal sealed class PairServerForwarding(PairServerClient client)
{
    /// <summary>The forwarding for a pair call the server may run; null for any other call, for help, or when the policy says no.</summary>
    public static PairServerForwarding? For(string[] args)
    {
        // Every other command pays one look at its arguments, not the environment reads below.
        if (!PairServerProtocol.IsServed(args) || args.Any(arg => arg is "-h" or "--help" or "-?"))
        {
            return null;
        }

        // As the MSBuild targets decide: a machine that turns the compiler server off keeps no pair server either.
        var setting = Environment.GetEnvironmentVariable(PairServerProtocol.ServerVariable)
            ?? (string.Equals(Environment.GetEnvironmentVariable("UseSharedCompilation"), "false", StringComparison.OrdinalIgnoreCase) ? "false" : "");
        if (!PairServerClient.Allowed(setting, out _))
        {
            return null;
        }

        return new PairServerForwarding(new PairServerClient(typeof(PairServerForwarding).Assembly.Location, RepositoryArgument(args) ?? Environment.CurrentDirectory));
    }

    /// <summary>Runs <paramref name="args"/> in the server; the exit code, or null when no server answered in full.</summary>
    public int? TryServe(string[] args)
    {
        var trace = PhaseTrace.FromEnvironment(Console.Error);
        if (trace.Enabled && client.Runs)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            trace.Record("process start", DateTime.Now - self.StartTime);
        }

        var output = Console.Out;
        var error = Console.Error;
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        var exitCode = client.TryRun(args, Environment.CurrentDirectory, (line, isError) => (isError ? error : output).WriteLine(line), out var why);
        if (exitCode is null)
        {
            trace.Record($"pair server not used ({why})", System.Diagnostics.Stopwatch.GetElapsedTime(asked));
        }

        return exitCode;
    }

    /// <summary>
    /// After the call ran in this process with <paramref name="exitCode"/>: starts the server for the next call, unless the
    /// call failed or ended the session. Started after the call, not beside it: its start-up would slow this call down
    /// on a small machine. A server that still runs (it refused a call for a changed loops.dll, or broke off) keeps its
    /// name, and the new one exits by itself.
    /// </summary>
    public void AfterLocalRun(string[] args, int exitCode)
    {
        if (exitCode == ExitCodes.Success && args[1] != "end" && DotnetHost() is { } host)
        {
            var asked = System.Diagnostics.Stopwatch.GetTimestamp();
            var started = client.TryStart(host, out var how);
            PhaseTrace.FromEnvironment(Console.Error).Record(started ? $"pair server started for the next call ({how})" : $"pair server not started ({how})", System.Diagnostics.Stopwatch.GetElapsedTime(asked));
        }
    }

    // The server answers for one repository: the one --repo names, as the command itself would use it.
    private static string? RepositoryArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repo" && i + 1 < args.Length)
            {
                return Path.GetFullPath(args[i + 1]);
            }

            if (args[i].StartsWith("--repo=", StringComparison.Ordinal))
            {
                return Path.GetFullPath(args[i]["--repo=".Length..]);
            }
        }

        return null;
    }

    /// <summary>The dotnet host that runs this program (<c>dotnet loops.dll</c>, or a tool's launcher beside the runtime).</summary>
    private static string? DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }

        // A tool's launcher: the host sits three folders above the runtime (<root>/shared/Microsoft.NETCore.App/<version>/).
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : null;
    }
}
