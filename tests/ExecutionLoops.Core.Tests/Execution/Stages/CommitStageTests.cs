using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class CommitStageTests : IAsyncLifetime
{
    private StageFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StageFixture.CreateAsync();

    public Task DisposeAsync()
    {
        _fixture.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Commit_CommitsTheToilsChangeWithTrailers_AndMovesTheMissionBranch()
    {
        var mission = await ToiledAsync(_fixture.Mission());

        await new CommitStage(mission).RunAsync(CancellationToken.None);

        var commit = _fixture.Repo.Git("rev-parse", "loops/m").Trim();
        mission.Progress.Commit.ShouldBe(commit);
        _fixture.Replay().Commit.ShouldBe(commit);
        _fixture.Repo.Git("log", "-1", "--format=%B", commit).ShouldBe($"chore(loops): Stamp the notes\n\nappended a line\n\nMission-Id: m\nLoops-Run: {StageFixture.RunId}\n\n");
        _fixture.Repo.Git("show", "--name-only", "--format=", commit).Trim().ShouldBe("notes.txt"); // the stray file is not the toil's
    }

    [Fact]
    public async Task Commit_AfterAKillBetweenTheCommitAndItsJournalLine_ReusesThatCommit()
    {
        var first = await ToiledAsync(_fixture.Mission());
        await new CommitStage(first).RunAsync(CancellationToken.None);
        var resumed = _fixture.Mission(_fixture.Replay());
        resumed.Progress.ResetFrom(MissionStage.Commit); // the commit-done line never reached the disk

        await new CommitStage(resumed).RunAsync(CancellationToken.None);

        resumed.Progress.Commit.ShouldBe(first.Progress.Commit);
        _fixture.Repo.Git("rev-list", "--count", $"{_fixture.Run.BaseCommit}..loops/m").Trim().ShouldBe("1");
    }

    [Fact]
    public void Message_UsesTheBriefsCommitMessage_AndLeavesOutAnEmptySummary()
    {
        var brief = new MissionBrief { Id = "m", Kind = "command", Title = "t", SourcePath = "/m.md", RelativePath = "m.md", Review = ReviewSettings.Default with { CommitMessage = "docs: stamp" } };

        CommitStage.Message(brief, "r1", " ").ShouldBe("docs: stamp\n\nMission-Id: m\nLoops-Run: r1\n");
    }

    /// <summary>Prepares the worktree and journals a toil that appended to notes.txt (and left a stray file the toil did not report).</summary>
    private async Task<MissionContext> ToiledAsync(MissionContext mission)
    {
        await new PrepareStage(mission).RunAsync(CancellationToken.None);
        File.WriteAllText(Path.Combine(mission.Worktree, "notes.txt"), "a line\n");
        File.WriteAllText(Path.Combine(mission.Worktree, "stray.txt"), "not the toil's\n");
        var record = new ToilRecord("appended a line", [new FileChange("notes.txt", 1, 0)], []);
        await mission.Journal.RunStageAsync(MissionStage.Toil, () => Task.FromResult(new StageOutput(true, "appended", record)));
        await mission.Journal.RunStageAsync(MissionStage.Gates, () => Task.FromResult(new StageOutput(true, "no gates", new GatesRecord([]))));
        return mission;
    }
}
