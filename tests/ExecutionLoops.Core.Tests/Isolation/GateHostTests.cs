using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Core.Tests.Isolation;

/// <summary>The gates' sandbox host with the real bubblewrap backend.</summary>
public sealed class GateHostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-gate-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ACommandSentTheMomentTheHostStarts_RunsInIt()
    {
        // An agent that is done in milliseconds (or calls run_gates at once) sends the first gate command right after the
        // host's start. The request once got lost there: written into the FIFO before the host held it open, it was gone
        // when the writer closed it, and the gate waited for its answer until the mission's time limit.
        var clone = Directory.CreateDirectory(Path.Combine(_root, "clone")).FullName;
        for (var attempt = 0; attempt < 12; attempt++)
        {
            await using var host = Start(clone, network: false, warmUp: attempt % 2 == 0);

            var result = await host.RunAsync(
                new ProcessSpec("/bin/sh", ["-c", "pwd; ls /tmp/loops-gate-host/requests.fifo"], clone) { Timeout = TimeSpan.FromSeconds(15) },
                new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                CancellationToken.None);

            result.TimedOut.ShouldBeFalse($"attempt {attempt}: {result.CombinedOutput}");
            result.ExitCode.ShouldBe(0, result.CombinedOutput);
            result.StandardOutput.ShouldBe($"{clone}\n/tmp/loops-gate-host/requests.fifo\n");
        }
    }

    [Fact]
    public async Task TheCompilingHostsServersRunWithoutTieredCompilation_ItsCommandsWithDelayedRecompiles()
    {
        // A command's parent is a shell of the host with the host's own environment: the one its warm-up, and the build
        // servers the warm-up starts, run with.
        const string script = "echo \"command: tc=$DOTNET_TieredCompilation delay=$DOTNET_TC_CallCountingDelayMs pgo=$DOTNET_TieredPGO reuse=$MSBUILDDISABLENODEREUSE\"; " +
            "echo host:; tr '\\0' '\\n' < /proc/$PPID/environ | grep -E '^(DOTNET_T|MSBUILDDISABLENODEREUSE=)' | sort";
        var clone = Directory.CreateDirectory(Path.Combine(_root, "clone")).FullName;
        foreach (var network in new[] { true, false })
        {
            await using var host = Start(clone, network, warmUp: false);

            var result = await host.RunAsync(
                new ProcessSpec("/bin/sh", ["-c", script], clone) { Timeout = TimeSpan.FromSeconds(15) },
                new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_TieredPGO"] = "1" },
                CancellationToken.None);

            result.ExitCode.ShouldBe(0, result.CombinedOutput);
            result.StandardOutput.ShouldBe(
                network
                    ? "command: tc= delay=2000 pgo=0 reuse=0\nhost:\nDOTNET_TieredCompilation=0\nDOTNET_TieredPGO=0\nMSBUILDDISABLENODEREUSE=0\n"
                    : "command: tc= delay= pgo=0 reuse=0\nhost:\nDOTNET_TieredPGO=0\nMSBUILDDISABLENODEREUSE=0\n",
                $"network: {network}");
        }
    }

    [Fact]
    public async Task TheWarmUpSolution_BuildsWithoutWarnings()
    {
        // The warm-up's output is not shown anywhere: a file that stopped compiling would only make the gates slower.
        var folder = Directory.CreateDirectory(Path.Combine(_root, "warm-up")).FullName;
        WarmUpSolution.Write(folder, exerciseCompiler: true);

        var result = await new ProcessRunner().RunAsync(
            DotnetCli.Command(folder, "build", WarmUpSolution.FileName, "-nologo", "-warnaserror", "-p:ImportDirectoryBuildProps=false", "-p:ImportDirectoryBuildTargets=false") with { Timeout = TimeSpan.FromMinutes(3) });

        result.ExitCode.ShouldBe(0, result.CombinedOutput);
        Directory.GetFiles(folder, "Broad*.cs", SearchOption.AllDirectories).Length.ShouldBeGreaterThan(20);
    }

    private GateHost Start(string clone, bool network, bool warmUp)
    {
        var temp = Directory.CreateDirectory(Path.Combine(_root, $"tmp-{Guid.NewGuid():N}")).FullName;
        var policy = new SandboxPolicy([clone, temp], [], [], [], new Dictionary<string, string>()) { PrivateFolders = new Dictionary<string, string> { ["/tmp"] = temp } };
        var launcher = new SandboxedProcessRunner(new ProcessRunner(), new BubblewrapBackend(), policy);
        return GateHost.Start(launcher, temp, clone, network, warmUp);
    }
}
