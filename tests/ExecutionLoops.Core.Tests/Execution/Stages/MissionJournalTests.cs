using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class MissionJournalTests : IAsyncLifetime
{
    private StageFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StageFixture.CreateAsync();

    public Task DisposeAsync()
    {
        _fixture.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RunStage_JournalsStartAndCompletion_AndAResumeReplaysTheSameProgress()
    {
        var mission = _fixture.Mission();
        var record = new ToilRecord("appended a line", [new FileChange("notes.txt", 1, 0)], []);

        await mission.Journal.RunStageAsync(MissionStage.Toil, () =>
        {
            _fixture.Clock.Advance(TimeSpan.FromSeconds(3));
            return Task.FromResult(new StageOutput(true, "appended a line; 1 file(s) changed", record));
        });

        _fixture.Entries().Select(e => e.Type).ShouldBe([JournalEntryType.StageStarted, JournalEntryType.StageDone]);
        var replayed = _fixture.Replay();
        foreach (var progress in new[] { mission.Progress, replayed })
        {
            progress.LastDone.ShouldBe(MissionStage.Toil);
            progress.Toil!.Summary.ShouldBe("appended a line");
            progress.Changes.ShouldBe(record.Changes);
            progress.Timings.Single().ShouldSatisfyAllConditions(
                t => t.Succeeded.ShouldBeTrue(),
                t => (t.Finished - t.Started).ShouldBe(TimeSpan.FromSeconds(3)));
        }
    }

    [Fact]
    public async Task RunStage_WhenTheToilFails_JournalsNoCompletion_SoAResumeRedoesIt()
    {
        var mission = _fixture.Mission();

        await mission.Journal.RunStageAsync(MissionStage.Toil, () => Task.FromResult(new StageOutput(false, "exit code 1")));

        mission.Progress.LastDone.ShouldBeNull();
        mission.Progress.Timings.Single().Succeeded.ShouldBeFalse();
        _fixture.Entries().Select(e => e.Type).ShouldBe([JournalEntryType.StageStarted]);
        _fixture.Replay().IsDone(MissionStage.Toil).ShouldBeFalse();
    }

    [Fact]
    public async Task RunStage_WhenGatesFail_JournalsThemAsDone_WithAFailedTiming()
    {
        var mission = _fixture.Mission();
        var failed = new GateResult("build", GateStatus.Failed, true, TimeSpan.Zero, "1 error", []);

        await mission.Journal.RunStageAsync(MissionStage.Gates, () => Task.FromResult(new StageOutput(false, "build ✗", new GatesRecord([failed]))));

        mission.Progress.LastDone.ShouldBe(MissionStage.Gates);
        mission.Progress.Gates.Single().Name.ShouldBe("build");
        mission.Progress.Timings.Single().Succeeded.ShouldBeFalse();
        _fixture.Replay().Gates.Single().BlocksMission.ShouldBeTrue();
    }

    [Fact]
    public async Task RunStage_WhenTheStageThrows_RecordsAFailedTimingAndRethrows()
    {
        var mission = _fixture.Mission();

        await Should.ThrowAsync<InvalidOperationException>(() => mission.Journal.RunStageAsync(MissionStage.Commit, () => throw new InvalidOperationException("git died")));

        mission.Progress.Timings.Single().ShouldSatisfyAllConditions(t => t.Stage.ShouldBe(MissionStage.Commit), t => t.Succeeded.ShouldBeFalse());
        _fixture.Replay().IsDone(MissionStage.Commit).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAttempt_JournalsTheFailures_AndForgetsTheToilAndGatesButNotTheWorktree()
    {
        var mission = _fixture.Mission();
        await mission.Journal.RunStageAsync(MissionStage.Prepare, () => Task.FromResult(new StageOutput(true, "worktree", new PrepareRecord("/wt"))));
        await mission.Journal.RunStageAsync(MissionStage.Toil, () => Task.FromResult(new StageOutput(true, "edited", new ToilRecord("edited", [new FileChange("a.cs", 1, 1)], []))));

        mission.Journal.StartAttempt(new AttemptRecord(2, "Gate 'build' failed: 1 error"));

        foreach (var progress in new[] { mission.Progress, _fixture.Replay() })
        {
            progress.Attempt.ShouldBe(2);
            progress.PreviousFailures.ShouldBe("Gate 'build' failed: 1 error");
            progress.LastDone.ShouldBe(MissionStage.Prepare);
            progress.Gates.ShouldBeEmpty();
        }
    }
}
