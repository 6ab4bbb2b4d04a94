using System.Text.RegularExpressions;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The loops process's pair calls and the warm pair server: the real program started as a process, as a developer's
/// terminal starts it, and the server it starts for the next call.
/// </summary>
public sealed partial class PairServerCliTests
{
    [Fact]
    public async Task PairCalls_AreServedByTheServerTheFirstCallStarts_FallBackWhenItIsGone_AndStayLocalWhenTurnedOff()
    {
        using var repo = PairHotPathTests.Repo();
        var log = repo.Path("obj/loops-pair.sarif");
        repo.Write("obj/loops-pair.sarif", "{\"version\":\"2.1.0\",\"runs\":[]}\n");
        var socket = PairServerSocket.Of(repo.Root, CliRunner.ToolPath);
        // A short idle time, so nothing outlives the test run even if a step below fails before the stop.
        var on = new Dictionary<string, string> { [PairServerProtocol.ServerVariable] = "true", [PairServerProtocol.IdleVariable] = "60s", ["LOOPS_TRACE"] = "1" };
        try
        {
            var start = await Loops(repo, on, "pair", "start", "--goal", "Serve it", "--session", "serve", "--compiler-log", log, "--build-succeeded", "true");
            start.ExitCode.ShouldBe(0, start.All);
            start.Error.ShouldNotContain("served by the pair server");
            start.Error.ShouldContain("loops-trace: pair server not used (no pair server runs)");
            start.Error.ShouldContain("loops-trace: pair server started for the next call (pid ");
            PairServerSocket.WaitFor(socket, start.All);

            repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => b + a;\n}\n");
            var checkpoint = await Loops(repo, on, "pair", "checkpoint", "--json");
            checkpoint.ExitCode.ShouldBe(0, checkpoint.All);
            var pid = ServedBy().Match(checkpoint.Error).Groups["pid"].Value;
            pid.ShouldNotBeEmpty(checkpoint.Error);
            using (var document = System.Text.Json.JsonDocument.Parse(checkpoint.Output))
            {
                repo.Git("rev-parse", "refs/loops/pair/serve/2").Trim().ShouldBe(document.RootElement.GetProperty("commit").GetString());
            }

            // Help is the program's own; an EL error from the server is the exit code and the message a local run gives.
            var help = await Loops(repo, on, "pair", "note", "--help");
            help.Output.ShouldContain("Append a timestamped decision");
            help.Error.ShouldNotContain("served by the pair server");
            var empty = await Loops(repo, on, "pair", "note", " ");
            empty.ExitCode.ShouldBe(2, empty.All);
            empty.Error.ShouldContain("error EL");
            empty.Error.ShouldContain($"served by the pair server (pid {pid})");

            // Turned off, the call runs here although a server runs.
            var off = await Loops(repo, new Dictionary<string, string>(on) { [PairServerProtocol.ServerVariable] = "false" }, "pair", "checkpoint");
            off.ExitCode.ShouldBe(0, off.All);
            off.Output.ShouldContain("Checkpoint 2 reused");
            off.Error.ShouldNotContain("served by the pair server");

            // A killed server leaves its socket behind: the next call runs here, then starts a new server that serves the one after.
            using (var server = System.Diagnostics.Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)))
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            repo.Write("Notes.txt", "scratch\n");
            var fallback = await Loops(repo, on, "pair", "checkpoint");
            fallback.ExitCode.ShouldBe(0, fallback.All);
            fallback.Output.ShouldContain("Checkpoint 3 saved");
            fallback.Error.ShouldNotContain("served by the pair server");
            fallback.Error.ShouldContain("loops-trace: pair server not used (no pair server answered");
            var next = await WaitForServedAsync(repo, on);
            ServedBy().Match(next.Error).Groups["pid"].Value.ShouldNotBe(pid);

            // The end is served too, and starts no server after it.
            var end = await Loops(repo, on, "pair", "end");
            end.ExitCode.ShouldBe(0, end.All);
            end.Error.ShouldContain("served by the pair server");
        }
        finally
        {
            await Loops(repo, new Dictionary<string, string>(), "pair", "serve", "--stop");
        }

        (await Loops(repo, new Dictionary<string, string>(), "pair", "serve", "--stop")).Output.ShouldStartWith("No pair server runs");
    }

    private static Task<CliResult> Loops(TempGitRepo repo, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliRunner.RunProcessAsync(repo.Root, environment, apphost: false, args);

    /// <summary>Takes a note until a server answers it (the one a local call started needs a moment).</summary>
    private static async Task<CliResult> WaitForServedAsync(TempGitRepo repo, IReadOnlyDictionary<string, string> environment)
    {
        var limit = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = await Loops(repo, environment, "pair", "note", "waiting for the server");
            status.ExitCode.ShouldBe(0, status.All);
            if (status.Error.Contains("served by the pair server", StringComparison.Ordinal) || DateTime.UtcNow > limit)
            {
                status.Error.ShouldContain("served by the pair server");
                return status;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"served by the pair server \(pid (?<pid>\d+)\)")]
    private static partial Regex ServedBy();
}
