using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class DelegateTests
{
    private const string AppendLine = "echo changed >> notes.txt";

    [Fact]
    public async Task Delegate_PublishesReviewItemWithoutTouchingTheUsersTreeIndexOrBranch()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        repo.Write("dirty.txt", "uncommitted\n");
        repo.Git("add", "dirty.txt");
        repo.Write("untracked.txt", "mine\n");
        var head = repo.Git("rev-parse", "HEAD").Trim();

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("rev-parse", "HEAD").Trim().ShouldBe(head);
        repo.Git("symbolic-ref", "--short", "HEAD").Trim().ShouldBe("main");
        repo.Git("status", "--porcelain").ShouldBe("A  dirty.txt\n?? untracked.txt\n");
        File.Exists(repo.Path("notes.txt")).ShouldBeFalse();
        var message = repo.Git("log", "-1", "--format=%B", "loops/append-note");
        message.ShouldContain("Mission-Id: append-note");
        message.ShouldContain("Loops-Run: ");
        repo.Git("show", "loops/append-note:notes.txt").ShouldBe("changed\n");
        repo.Git("rev-list", "--count", "main..loops/append-note").Trim().ShouldBe("1");
        var list = await CliRunner.RunAsync(repo.Root, "review", "list", "--json");
        var item = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single();
        item.GetProperty("id").GetString().ShouldBe("append-note");
        item.GetProperty("revision").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Delegate_InARepositoryThatNeverRanInit_LeavesNoUntrackedState()
    {
        using var repo = new TempGitRepo();
        repo.Write(".loops/missions/note.md", $"---\n{MissionRepo.Command(AppendLine)}\n---\n# Note\n");
        repo.Commit("a mission, no .gitignore");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Read(".loops/state/.gitignore").ShouldContain("*");
        repo.Git("status", "--porcelain", "--untracked-files=all").ShouldBeEmpty();
    }

    [Fact]
    public async Task Delegate_RerunAfterReject_UpdatesTheSameItemAndHandsTheFeedbackToTheMission()
    {
        // The command copies the feedback file into the change, so the test sees what the mission received.
        var run = "if [ -n \"$LOOPS_FEEDBACK_FILE\" ]; then cp \"$LOOPS_FEEDBACK_FILE\" feedback.md; fi; echo x >> notes.txt";
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(run)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note")).ExitCode.ShouldBe(0);

        var reject = await CliRunner.RunAsync(repo.Root, "review", "reject", "append-note", "--feedback", "Say why in the note", "--author", "ana");
        reject.ExitCode.ShouldBe(0, reject.All);
        var rerun = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note");

        rerun.ExitCode.ShouldBe(0, rerun.All);
        repo.Git("show", "loops/append-note:feedback.md").ShouldContain("ana");
        repo.Git("show", "loops/append-note:feedback.md").ShouldContain("Say why in the note");
        var items = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "list", "--all", "--json")).Output).RootElement.EnumerateArray().ToList();
        items.Count.ShouldBe(1);
        items[0].GetProperty("revision").GetInt32().ShouldBe(2);
        items[0].GetProperty("state").GetString().ShouldBe("open");
        items[0].GetProperty("feedback")[0].GetProperty("addressed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Delegate_WhenToilChangesNothing_PublishesNothingAndSaysSo()
    {
        using var repo = MissionRepo.Create(("noop", MissionRepo.Command("true")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "noop");

        result.ExitCode.ShouldBe(0, result.All);
        result.All.ShouldContain("no changes");
        (await CliRunner.RunAsync(repo.Root, "review", "list")).Output.ShouldContain("empty");
        repo.Git("branch", "--list", "loops/*").Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task Delegate_WhenRequiredGateFails_PublishesNothingAndExitsOne()
    {
        using var repo = MissionRepo.Create(("blocked", MissionRepo.Command(AppendLine, gates: "[diff, {command: {run: \"exit 3\"}}]")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "blocked", "--json");

        result.ExitCode.ShouldBe(1);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("outcome").GetString().ShouldBe("gate-failed");
        mission.GetProperty("gates")[1].GetProperty("status").GetString().ShouldBe("failed");
        mission.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL3006");
        (await CliRunner.RunAsync(repo.Root, "review", "list")).Output.ShouldContain("empty");
    }

    [Fact]
    public async Task Delegate_WhenAdvisoryGateFails_PublishesADraft()
    {
        using var repo = MissionRepo.Create(("advisory", MissionRepo.Command(AppendLine, gates: "[diff, {command: {run: \"exit 3\", required: false}}]")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "advisory");

        result.ExitCode.ShouldBe(0, result.All);
        var item = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "advisory", "--json")).Output).RootElement;
        item.GetProperty("draft").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Approve_ADraftWithFailedGates_ListsThemAndNeedsForce_AndTheScheduleStillRunsIt()
    {
        var brief = MissionRepo.Command(AppendLine, gates: "[diff, {command: {run: \"exit 3\", required: false}}]").Replace("on: {manual: true}", "on: {schedule: \"0 3 * * *\"}", StringComparison.Ordinal);
        using var repo = MissionRepo.Create(("advisory", brief));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "advisory")).ExitCode.ShouldBe(0);

        var plan = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "plan", "--json")).Output).RootElement[0];
        var refused = await CliRunner.RunAsync(repo.Root, "review", "approve", "advisory");
        var forced = await CliRunner.RunAsync(repo.Root, "review", "approve", "advisory", "--force");

        plan.GetProperty("due").GetBoolean().ShouldBeTrue(plan.ToString());
        refused.ExitCode.ShouldBe(1, refused.All);
        refused.Error.ShouldContain("EL2034");
        refused.Error.ShouldContain("advisory gate 'command' failed");
        forced.ExitCode.ShouldBe(0, forced.All);
        repo.Read("notes.txt").ShouldContain("changed");
    }

    [Fact]
    public async Task Approve_WhileARunIsInFlight_IsRefusedWithEL2010()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        using var held = await ExecutionLoops.Execution.RunLock.AcquireAsync(ExecutionLoops.Execution.StatePaths.For(repo.Root, ".loops/state"), "a test run", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        var result = await CliRunner.RunProcessAsync(repo.Root, null, apphost: false, "review", "approve", "append-note");

        result.ExitCode.ShouldBe(3, result.All);
        result.Error.ShouldContain("EL2010");
        File.Exists(repo.Path("notes.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task Delegate_WhenChangeTouchesProtectedFileOrLeavesScope_DiffGateNamesThePaths()
    {
        var mission = MissionRepo.Command("echo '{}' > global.json && mkdir -p other && echo x > other/a.txt", gates: "[diff]", extra: "scope: {include: [\"docs/**\"]}");
        using var repo = MissionRepo.Create(("sneaky", mission));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "sneaky", "--json");

        result.ExitCode.ShouldBe(1);
        var codes = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics").EnumerateArray()
            .Select(d => $"{d.GetProperty("code").GetString()} {d.GetProperty("path").GetString()}").ToList();
        codes.ShouldContain("EL3005 global.json");
        codes.ShouldContain("EL3009 other/a.txt");
    }

    [Fact]
    public async Task Delegate_DryRun_ChangesNothing()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--dry-run");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("dry run");
        repo.Git("branch", "--list", "loops/*").Trim().ShouldBeEmpty();
        Directory.Exists(repo.Path(".loops/state/journal")).ShouldBeFalse();
    }

    [Fact]
    public async Task Delegate_WritesMarkdownReportWithGanttAndJson()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        var reportPath = repo.Path("out/report.md");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--report", reportPath);

        result.ExitCode.ShouldBe(0, result.All);
        var markdown = File.ReadAllText(reportPath);
        markdown.ShouldContain("| append-note | command | ✓ published | +1 −0 in 1 file(s) | append-note |");
        markdown.ShouldContain("```mermaid\ngantt");
        markdown.ShouldContain("section append-note");
        Directory.GetFiles(repo.Path(".loops/state/runs"), "report.json", SearchOption.AllDirectories).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Approve_MergesIntoTheCheckedOutBaseKeepingUnrelatedDirtyFiles()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        repo.Write("README.md", "# my uncommitted edit\n");

        var result = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Read("notes.txt").ShouldBe("changed\n");
        repo.Read("README.md").ShouldBe("# my uncommitted edit\n");
        repo.Git("status", "--porcelain").ShouldBe(" M README.md\n");
        var list = await CliRunner.RunAsync(repo.Root, "review", "list", "--all", "--json");
        JsonDocument.Parse(list.Output).RootElement[0].GetProperty("state").GetString().ShouldBe("merged");
    }

    [Fact]
    public async Task Approve_WhenUncommittedChangesTouchTheSameFile_RefusesAndKeepsThem()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        repo.Write("notes.txt", "my own notes\n");
        var head = repo.Git("rev-parse", "HEAD");

        var result = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL2031");
        result.Error.ShouldContain("notes.txt");
        repo.Read("notes.txt").ShouldBe("my own notes\n");
        repo.Git("rev-parse", "HEAD").ShouldBe(head);
    }

    [Fact]
    public async Task Approve_WhenBaseMovedOnWithAConflict_RefusesAndChangesNothing()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        repo.Write("notes.txt", "written on main\n");
        var head = repo.Commit("conflicting change on main");

        var result = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("EL2030");
        result.Error.ShouldContain("notes.txt");
        repo.Git("rev-parse", "HEAD").Trim().ShouldBe(head);
        repo.Git("status", "--porcelain").ShouldBeEmpty();
    }

    [Fact]
    public async Task Approve_WhenBaseMovedOnWithoutConflict_CreatesAMergeCommitOnTheBase()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        repo.Write("other.txt", "unrelated\n");
        repo.Commit("unrelated change on main");
        repo.Git("checkout", "-q", "-b", "feature");

        var result = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("log", "-1", "--format=%P", "main").Trim().Split(' ').Length.ShouldBe(2);
        repo.Git("show", "main:notes.txt").ShouldBe("changed\n");
        repo.Git("symbolic-ref", "--short", "HEAD").Trim().ShouldBe("feature");
    }

    [Fact]
    public async Task Approve_WhenBaseIsCheckedOutInALinkedWorktree_UpdatesThatWorktreesFiles()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var linked = Path.Combine(Path.GetTempPath(), $"loops-linked-{Guid.NewGuid():N}");
        repo.Git("checkout", "-q", "-b", "work");
        repo.Git("worktree", "add", "-q", linked, "main");
        try
        {
            var result = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

            result.ExitCode.ShouldBe(0, result.All);
            File.ReadAllText(Path.Combine(linked, "notes.txt")).ShouldBe("changed\n");
            TempGitRepo.RunGit(linked, "status", "--porcelain").ShouldBeEmpty();
        }
        finally
        {
            repo.Git("worktree", "remove", "--force", linked);
        }
    }

    [Fact]
    public async Task Review_UnknownItem_ExitsTwoAndListsKnownOnes()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);

        var result = await CliRunner.RunAsync(repo.Root, "review", "show", "nope");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL2032");
        result.Error.ShouldContain("append-note");
    }

    [Fact]
    public async Task Review_AMissionIdNamesItsOpenItem_AfterAnEarlierOneWasMerged()
    {
        using var repo = MissionRepo.Create(("append-note", MissionRepo.Command(AppendLine)));
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        (await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note")).ExitCode.ShouldBe(0);
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);

        var shown = await CliRunner.RunAsync(repo.Root, "review", "show", "append-note", "--json");
        var approved = await CliRunner.RunAsync(repo.Root, "review", "approve", "append-note");

        JsonDocument.Parse(shown.Output).RootElement.GetProperty("id").GetString().ShouldBe("append-note-2");
        approved.ExitCode.ShouldBe(0, approved.All);
        repo.Read("notes.txt").ShouldBe("changed\nchanged\n");
    }
}
