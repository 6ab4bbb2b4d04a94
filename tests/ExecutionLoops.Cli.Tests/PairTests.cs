using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class PairTests
{
    private static TempGitRepo ProjectRepo()
    {
        var repo = new TempGitRepo();
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n");
        repo.Write("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        repo.Commit("library");
        return repo;
    }

    [Fact]
    public async Task PairStatusCheckpointEnd_WithJson_WriteOnlyTheRecordsOnStdout()
    {
        // The Cake addin's pair aliases read exactly these documents.
        using var repo = ProjectRepo();

        var status = await CliRunner.RunAsync(repo.Root, "pair", "status", "--goal", "Tidy", "--session", "tidy", "--criteria", "build succeeds", "--json");
        status.ExitCode.ShouldBe(0, status.All);
        status.Error.ShouldContain("Started pair session tidy.");
        using (var document = System.Text.Json.JsonDocument.Parse(status.Output))
        {
            var root = document.RootElement;
            root.GetProperty("session").GetProperty("id").GetString().ShouldBe("tidy");
            root.GetProperty("feedback").GetProperty("buildSucceeded").GetBoolean().ShouldBeTrue();
            root.GetProperty("criteria")[0].GetProperty("status").GetString().ShouldBe("met");
            root.GetProperty("checkpoint").GetProperty("number").GetInt32().ShouldBe(1);
            root.GetProperty("dashboard").GetString()!.ShouldContain("Tidy");
        }

        repo.Write("Notes.txt", "scratch\n");
        var checkpoint = await CliRunner.RunAsync(repo.Root, "pair", "checkpoint", "--label", "notes", "--json");
        using (var document = System.Text.Json.JsonDocument.Parse(checkpoint.Output))
        {
            document.RootElement.GetProperty("number").GetInt32().ShouldBe(2);
            var commit = document.RootElement.GetProperty("commit").GetString()!;
            repo.Git("rev-parse", "refs/loops/pair/tidy/2").Trim().ShouldBe(commit);
            document.RootElement.GetProperty("label").GetString().ShouldBe("notes");
        }

        var end = await CliRunner.RunAsync(repo.Root, "pair", "end", "--json");
        end.ExitCode.ShouldBe(0, end.All);
        using (var document = System.Text.Json.JsonDocument.Parse(end.Output))
        {
            document.RootElement.GetProperty("session").GetProperty("id").GetString().ShouldBe("tidy");
            File.Exists(document.RootElement.GetProperty("recordPath").GetString()!).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task PairState_IgnoresItself_InARepositoryWhoseGitignoreDoesNotMentionIt()
    {
        using var repo = ProjectRepo();
        repo.Write(".gitignore", "bin/\nobj/\n");
        repo.Commit("no .loops/pair/ in .gitignore");

        (await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "Tidy", "--session", "tidy")).ExitCode.ShouldBe(0);
        repo.Write("Notes.txt", "scratch\n");
        var status = await CliRunner.RunAsync(repo.Root, "pair", "status");

        status.Output.ShouldContain("Changed since checkpoint 1: Notes.txt (+1 −0)");
        repo.Git("status", "--porcelain", "--untracked-files=all").Trim().ShouldBe("?? Notes.txt");
    }

    [Fact]
    public async Task PairSession_StartNoteCheckpointRewindEnd_KeepsEverythingAndWritesARecord()
    {
        using var repo = ProjectRepo();
        var head = repo.Git("rev-parse", "HEAD");

        var start = await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "Add subtraction", "--timebox", "45m", "--criteria", "build succeeds;no new warnings;the API reads well", "--session", "sub");
        start.ExitCode.ShouldBe(0, start.All);
        start.Output.ShouldContain("Build: ok");
        start.Output.ShouldContain("✓ build succeeds");
        start.Output.ShouldContain("· the API reads well (check by hand)");
        start.Output.ShouldContain("used of 45m");

        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n\n    // TODO: overflow checks\n    public static int Sub(int a, int b) => a - missing;\n}\n");
        repo.Write("Notes.txt", "scratch\n");
        repo.Write("Extra.cs", "namespace Lib;\n\npublic class Extra\n{\n        public int X => 1;\n}\n");
        var broken = await CliRunner.RunAsync(repo.Root, "pair", "status");
        broken.ExitCode.ShouldBe(0, broken.All);
        broken.Output.ShouldContain("Build: FAILED");
        broken.Output.ShouldContain("✗ Calc.cs:8:48 CS0103");
        broken.Output.ShouldContain("Changed since checkpoint 1: Calc.cs (+3 −0), Extra.cs (+6 −0), Notes.txt (+1 −0)");
        (await CliRunner.RunAsync(repo.Root, "pair", "note", "Sub mirrors Add; no checked arithmetic")).ExitCode.ShouldBe(0);

        var rewind = await CliRunner.RunAsync(repo.Root, "pair", "rewind", "1");
        rewind.ExitCode.ShouldBe(0, rewind.All);
        rewind.Output.ShouldContain("The state before is checkpoint 2."); // nothing changed since the status call's checkpoint 2: reused
        repo.Read("Calc.cs").ShouldNotContain("Sub");
        File.Exists(repo.Path("Notes.txt")).ShouldBeFalse();
        (await CliRunner.RunAsync(repo.Root, "pair", "rewind", "2")).ExitCode.ShouldBe(0);
        repo.Read("Calc.cs").ShouldContain("Sub");
        repo.Read("Notes.txt").ShouldBe("scratch\n");

        File.Exists(repo.Path(".loops/pair/sub/index")).ShouldBeTrue(); // the kept private index of the checkpoints
        var end = await CliRunner.RunAsync(repo.Root, "pair", "end");
        end.ExitCode.ShouldBe(0, end.All);
        File.Exists(repo.Path(".loops/pair/sub/index")).ShouldBeFalse();
        var record = File.ReadAllText(Directory.GetFiles(repo.Path("docs/pair-sessions"), "*-add-subtraction.md").Single());
        record.ShouldContain("# Pair session: Add subtraction");
        record.ShouldContain("Sub mirrors Add; no checked arithmetic");
        record.ShouldContain("✗ build succeeds: not met");
        record.ShouldContain("| 1 |");
        File.ReadAllText(repo.Path(".loops/missions/drafts/sub-todos.md")).ShouldContain("// TODO: overflow checks");
        File.ReadAllText(repo.Path(".loops/missions/drafts/sub-format.md")).ShouldContain("scope: {include: [\"Extra.cs\"]}");
        repo.Git("rev-parse", "HEAD").ShouldBe(head);
        repo.Git("stash", "list").ShouldBeEmpty();
        repo.Git("for-each-ref", "--format=%(refname)", "refs/loops/pair/sub").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThanOrEqualTo(5);
        var context = File.ReadAllText(repo.Path(".loops/pair/context.md"));
        context.ShouldContain("# Pair session context: Add subtraction");
        context.ShouldContain("```diff");
    }

    [Fact]
    public async Task PairStatus_WithoutGoalOrActiveSession_ExitsTwoWithEL6001()
    {
        using var repo = ProjectRepo();

        var result = await CliRunner.RunAsync(repo.Root, "pair", "status");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL6001");
    }

    [Fact]
    public async Task PairStart_WithUnparsableTimebox_ExitsTwoWithEL6003()
    {
        using var repo = ProjectRepo();

        var result = await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "x", "--timebox", "an hour");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL6003");
    }

    [Fact]
    public async Task PairSessions_SecondSessionIsRefusedUnlessNamed_AndUnknownCheckpointListsTheKnownOnes()
    {
        using var repo = ProjectRepo();
        (await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "first goal", "--session", "one")).ExitCode.ShouldBe(0);

        var second = await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "second goal");
        var rewind = await CliRunner.RunAsync(repo.Root, "pair", "rewind", "9");

        second.ExitCode.ShouldBe(2);
        second.Error.ShouldContain("EL6002");
        second.Error.ShouldContain("'one'");
        rewind.ExitCode.ShouldBe(2);
        rewind.Error.ShouldContain("EL6004");
        rewind.Error.ShouldContain("Checkpoints: 1 (green");
    }

    [Fact]
    public async Task PairStart_FromAPairBrief_TakesGoalCriteriaAndTimebox()
    {
        using var repo = ProjectRepo();
        repo.Write(".loops/missions/speed-up.md", "---\nloop: pair\nkind: agent\npair:\n  goal: Make Add faster\n  timebox: 30m\nsuccess:\n  - build succeeds\n---\n# Speed up\n");
        repo.Commit("pair brief");

        var result = await CliRunner.RunAsync(repo.Root, "pair", "start", "--brief", "speed-up");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("Make Add faster");
        result.Output.ShouldContain("used of 30m");
        result.Output.ShouldContain("✓ build succeeds");
    }

    [Fact]
    public async Task PairStart_WithUnknownBrief_ExitsTwoWithEL6005()
    {
        using var repo = ProjectRepo();

        var result = await CliRunner.RunAsync(repo.Root, "pair", "start", "--brief", "nope");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL6005");
    }

    [Fact]
    public async Task PairStart_OutsideAGitRepository_ExitsTwoWithEL2001()
    {
        var folder = Directory.CreateTempSubdirectory("loops-pair-nogit-").FullName;
        try
        {
            var result = await CliRunner.RunAsync(folder, "pair", "start", "--goal", "x");

            result.ExitCode.ShouldBe(2);
            result.Error.ShouldContain("EL2001");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task PairWatch_RebuildsOnSaveAndCheckpointsOnlyGreenStates()
    {
        using var repo = ProjectRepo();
        (await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "watch it", "--session", "w")).ExitCode.ShouldBe(0);
        using var watch = CliRunner.Start(repo.Root, null, "pair", "watch");
        var output = new System.Text.StringBuilder();
        watch.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        watch.BeginOutputReadLine();
        string Seen() { lock (output) { return output.ToString(); } }
        try
        {
            // Nothing changed since the start's checkpoint: the first run reuses it.
            await WaitForAsync(() => Seen().Contains("Checkpoint 1 reused", StringComparison.Ordinal));
            repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + broken;\n}\n");
            await WaitForAsync(() => Seen().Contains("Not green: no checkpoint kept", StringComparison.Ordinal));
            repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => b + a;\n}\n");
            await WaitForAsync(() => Seen().Contains("Checkpoint 2 saved", StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }

        Seen().ShouldContain("✗ Calc.cs:5:48 CS0103");
        Seen().ShouldContain("Checkpoint 2 saved");
        repo.Git("show", "refs/loops/pair/w/2:Calc.cs").ShouldContain("b + a");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(100);
        }

        condition().ShouldBeTrue();
    }
}
