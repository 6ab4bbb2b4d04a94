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
            var temp = Directory.CreateDirectory(Path.Combine(_root, $"tmp-{attempt}")).FullName;
            var policy = new SandboxPolicy([clone, temp], [], [], [], new Dictionary<string, string>()) { PrivateFolders = new Dictionary<string, string> { ["/tmp"] = temp } };
            var launcher = new SandboxedProcessRunner(new ProcessRunner(), new BubblewrapBackend(), policy);
            await using var host = GateHost.Start(launcher, temp, clone, network: false, warmUp: attempt % 2 == 0);

            var result = await host.RunAsync(
                new ProcessSpec("/bin/sh", ["-c", "pwd; ls /tmp/loops-gate-host/requests.fifo"], clone) { Timeout = TimeSpan.FromSeconds(15) },
                new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                CancellationToken.None);

            result.TimedOut.ShouldBeFalse($"attempt {attempt}: {result.CombinedOutput}");
            result.ExitCode.ShouldBe(0, result.CombinedOutput);
            result.StandardOutput.ShouldBe($"{clone}\n/tmp/loops-gate-host/requests.fifo\n");
        }
    }
}
