using System.Diagnostics;
using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class FaultTests
{
    private const string AppendLine = "echo changed >> notes.txt";

    [Fact]
    public async Task Delegate_WhenNotAGitRepository_ExitsTwoWithEL2001()
    {
        var folder = Directory.CreateTempSubdirectory("loops-nogit-").FullName;
        try
        {
            var result = await CliRunner.RunAsync(folder, "delegate");

            result.ExitCode.ShouldBe(2);
            result.Error.ShouldContain("error EL2001");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Delegate_WhenRepositoryHasNoCommits_ExitsTwoWithEL2002()
    {
        using var repo = new TempGitRepo(initialCommit: false);
        repo.Write(".loops/missions/m.md", $"---\n{MissionRepo.Command(AppendLine)}\n---\n# m\n");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("error EL2002");
    }

    [Fact]
    public async Task Delegate_WhenBaseBranchMissing_ExitsTwoWithEL2003()
    {
        using var repo = MissionRepo.Create(("m", MissionRepo.Command(AppendLine)));
        repo.Write(".loops/config.yml", "base-branch: develop\n");
        repo.Commit("config");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(".loops/config.yml: error EL2003: The base branch 'develop' does not exist.");
    }

    [Fact]
    public async Task Delegate_WhenABriefIsBroken_RunsNothingAndExitsTwo()
    {
        using var repo = MissionRepo.Create(("good", MissionRepo.Command(AppendLine)));
        repo.Write(".loops/missions/bad.md", "---\nkind: command\ncommands: [x]\ngates: [diff]\nconstraints: {timeout: forever}\n---\n");
        repo.Commit("bad brief");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(".loops/missions/bad.md(5,24): error EL1012");
        repo.Git("branch", "--list", "loops/*").Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task Delegate_WhenToilCommandHangs_KillsItsProcessTreeAndReportsTimeout()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"loops-hang-{Guid.NewGuid():N}.pid");
        var mission = $"""
            kind: command
            on: {"{"}manual: true{"}"}
            constraints: {"{"}max-files: 5, timeout: 1m{"}"}
            commands:
              - run: "sleep 120 & echo $! > {pidFile}; wait"
                timeout: 2s
            gates: [diff]
            success: [x]
            """;
        using var repo = MissionRepo.Create(("hang", mission));
        var clock = Stopwatch.StartNew();

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        result.ExitCode.ShouldBe(1);
        var mission0 = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission0.GetProperty("outcome").GetString().ShouldBe("toil-failed");
        mission0.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL2021");
        var childPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{childPid}"), TimeSpan.FromSeconds(10));
        Directory.Exists($"/proc/{childPid}").ShouldBeFalse("the background child of the hung command must be killed with the tree");
        File.Delete(pidFile);
    }

    [Fact]
    public async Task Delegate_WhenAGateCrashes_ReportsEL3007AndTheRunGoesOn()
    {
        using var repo = MissionRepo.Create(
            ("crashing", MissionRepo.Command(AppendLine, gates: "[build]", extra: "solution: Missing.sln")),
            ("fine", MissionRepo.Command("echo ok >> fine.txt")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var missions = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("missionId").GetString()!);
        missions["crashing"].GetProperty("outcome").GetString().ShouldBe("gate-failed");
        var diagnostic = missions["crashing"].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("EL3007");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("Missing.sln");
        missions["fine"].GetProperty("outcome").GetString().ShouldBe("published");
    }

    [Fact]
    public async Task Delegate_WhenDotnetIsNotOnPath_FormatMissionFailsWithEL2020()
    {
        // PATH holds git only; the tool starts through its native launcher, which finds the runtime via DOTNET_ROOT.
        var bin = Directory.CreateTempSubdirectory("loops-path-").FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "git"), Which("git"));
        using var repo = MissionRepo.Create(("fmt", "kind: format\nconstraints: {max-files: 5}\ngates: [diff]\nsuccess: [x]"));
        repo.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repo.Write("Program.cs", "class Program { }\n");
        repo.Commit("project");

        var result = await CliRunner.RunProcessAsync(repo.Root, new Dictionary<string, string> { ["PATH"] = bin, ["DOTNET_ROOT"] = Path.GetDirectoryName(CliRunner.DotnetHost)! }, apphost: true, "delegate", "--all", "--json");

        Directory.Delete(bin, recursive: true);
        result.ExitCode.ShouldBe(1, result.All);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL2020");
    }

    [Fact]
    public async Task Delegate_WhenStateDirectoryCannotBeWritten_ExitsThreeWithEL2011AndLeavesRepoAlone()
    {
        using var repo = MissionRepo.Create(("m", MissionRepo.Command(AppendLine)));
        repo.Write(".loops/config.yml", "state-dir: blocked/state\n");
        repo.Write("blocked", "a file where the state directory should be\n");
        repo.Commit("unwritable state");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(3);
        result.Error.ShouldContain("EL2011");
        repo.Git("status", "--porcelain").ShouldBeEmpty();
        repo.Git("branch", "--list", "loops/*").Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task AFailedPublish_StaysPending_AndResumePublishesTheCommittedChange()
    {
        using var repo = MissionRepo.Create(("m", MissionRepo.Command(AppendLine)));
        Directory.CreateDirectory(repo.Path(".loops/state"));
        File.WriteAllText(repo.Path(".loops/state/reviews"), "a file where the review queue should be\n");

        var failed = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        failed.ExitCode.ShouldBe(3, failed.All);
        var mission = JsonDocument.Parse(failed.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("publishPending").GetBoolean().ShouldBeTrue();
        var commit = mission.GetProperty("commit").GetString()!;
        repo.Git("rev-parse", "loops/m").Trim().ShouldBe(commit);

        File.Delete(repo.Path(".loops/state/reviews"));
        var resumed = await CliRunner.RunAsync(repo.Root, "resume", "--json");

        resumed.ExitCode.ShouldBe(0, resumed.All);
        var item = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "m", "--json")).Output).RootElement;
        item.GetProperty("headCommit").GetString().ShouldBe(commit);
        (await CliRunner.RunAsync(repo.Root, "resume")).Error.ShouldContain("Nothing to resume");
    }

    [Fact]
    public async Task Delegate_WhenTheRunsFolderCannotBeWritten_IsEL2011_NotAnInternalError()
    {
        using var repo = MissionRepo.Create(("m", MissionRepo.Command(AppendLine)));
        Directory.CreateDirectory(repo.Path(".loops/state"));
        File.WriteAllText(repo.Path(".loops/state/runs"), "a file where the runs folder should be\n");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(3, result.All);
        result.Error.ShouldContain("EL2011");
        result.Error.ShouldContain(".loops/state/runs");
        result.All.ShouldNotContain("EL0001");
    }

    [Fact]
    public async Task Delegate_WhenAnotherRunHoldsTheLock_SecondExitsWithEL2010_ThenWaitsWithWait()
    {
        var started = Path.Combine(Path.GetTempPath(), $"loops-started-{Guid.NewGuid():N}");
        using var repo = MissionRepo.Create(("slow", MissionRepo.Command($"touch {started}; sleep 4; echo x >> notes.txt")));
        using var first = CliRunner.Start(repo.Root, null, "delegate", "--all");
        await WaitUntilAsync(() => File.Exists(started), TimeSpan.FromSeconds(60));

        var second = await CliRunner.RunAsync(repo.Root, "delegate", "--all");
        var queued = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--wait", "2m");
        await first.WaitForExitAsync();

        second.ExitCode.ShouldBe(3);
        second.Error.ShouldContain("EL2010");
        second.Error.ShouldContain($"pid {first.Id}");
        first.ExitCode.ShouldBe(0);
        queued.ExitCode.ShouldBe(0, queued.All);
        File.Delete(started);
    }

    [Fact]
    public async Task Delegate_KilledMidToil_ResumesWithoutDuplicate()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"loops-toil-{Guid.NewGuid():N}");
        // First run: signals, then hangs inside the toil. Resumed run: the marker exists, so it finishes.
        var run = $"if [ -f {marker} ]; then echo done >> notes.txt; else touch {marker}; sleep 120; fi";
        using var repo = MissionRepo.Create(("flaky", MissionRepo.Command(run)));

        await KillWhenAsync(repo, () => File.Exists(marker));
        var resumed = await CliRunner.RunAsync(repo.Root, "delegate");

        resumed.ExitCode.ShouldBe(0, resumed.All);
        resumed.Output.ShouldContain("Resumed and finished the interrupted run");
        AssertPublishedOnce(repo, "flaky");
        File.Delete(marker);
    }

    [Fact]
    public async Task Delegate_KilledMidGate_ResumeFinishesWithoutDuplicate()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"loops-gate-{Guid.NewGuid():N}");
        var gate = $"[diff, {{command: {{run: \"if [ -f {marker} ]; then exit 0; else touch {marker}; sleep 120; fi\"}}}}]";
        using var repo = MissionRepo.Create(("gated", MissionRepo.Command(AppendLine, gates: gate)));

        await KillWhenAsync(repo, () => File.Exists(marker));
        var resumed = await CliRunner.RunAsync(repo.Root, "resume");

        resumed.ExitCode.ShouldBe(0, resumed.All);
        AssertPublishedOnce(repo, "gated");
        var nothingLeft = await CliRunner.RunAsync(repo.Root, "resume");
        nothingLeft.Error.ShouldContain("Nothing to resume");
        File.Delete(marker);
    }

    [Fact]
    public async Task Delegate_KilledAfterPublishBeforeJournal_ResumeDoesNotPublishTwice()
    {
        using var repo = MissionRepo.Create(("m", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        // Cut the journal back to the moment after the commit was journaled: exactly what a kill during
        // publishing leaves on disk, with the review item already written.
        var journal = Directory.GetFiles(repo.Path(".loops/state/journal"), "*.jsonl").Single();
        var lines = File.ReadAllLines(journal);
        var commitDone = Array.FindLastIndex(lines, l => l.Contains("\"stage\":\"commit\"", StringComparison.Ordinal) && l.Contains("stage-done", StringComparison.Ordinal));
        File.WriteAllLines(journal, lines[..(commitDone + 1)]);

        var resumed = await CliRunner.RunAsync(repo.Root, "resume");

        resumed.ExitCode.ShouldBe(0, resumed.All);
        AssertPublishedOnce(repo, "m");
    }

    private static async Task KillWhenAsync(TempGitRepo repo, Func<bool> ready)
    {
        using var run = CliRunner.Start(repo.Root, null, "delegate", "--all");
        await WaitUntilAsync(ready, TimeSpan.FromSeconds(60));
        run.Kill(entireProcessTree: true); // SIGKILL: no cleanup code runs
        await run.WaitForExitAsync();
    }

    private static void AssertPublishedOnce(TempGitRepo repo, string mission)
    {
        repo.Git("rev-list", "--count", $"main..loops/{mission}").Trim().ShouldBe("1");
        var items = Directory.GetFiles(repo.Path(".loops/state/reviews"), "*.json");
        items.Length.ShouldBe(1);
        var item = JsonDocument.Parse(File.ReadAllText(items[0])).RootElement;
        item.GetProperty("revision").GetInt32().ShouldBe(1);
        item.GetProperty("headCommit").GetString().ShouldBe(repo.Git("rev-parse", $"loops/{mission}").Trim());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < limit)
        {
            await Task.Delay(50);
        }
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).First(File.Exists);
}
