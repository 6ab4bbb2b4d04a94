using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class PrepareStageTests
{
    [Theory]
    [InlineData(MissionStage.Prepare, true, null)] // killed mid-toil: a clean worktree first
    [InlineData(MissionStage.Toil, true, MissionStage.Toil)]
    [InlineData(MissionStage.Toil, false, null)] // the worktree with the change is gone: toil again
    [InlineData(MissionStage.Gates, false, null)]
    [InlineData(MissionStage.Commit, false, MissionStage.Commit)] // the change lives in the repository
    public void ResetForResume_RedoesWhatTheWorktreeNoLongerHolds(MissionStage lastDone, bool worktreeExists, MissionStage? resumesAfter)
    {
        var progress = new MissionProgress();
        for (var stage = MissionStage.Prepare; stage <= lastDone; stage++)
        {
            progress.Done(stage, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
        }

        PrepareStage.ResetForResume(progress, worktreeExists);

        progress.LastDone.ShouldBe(resumesAfter);
    }

    [Fact]
    public async Task Prepare_ChecksOutADetachedWorktreeAtTheBase_AndJournalsIt()
    {
        using var fixture = await StageFixture.CreateAsync();
        var mission = fixture.Mission();

        await new PrepareStage(mission).RunAsync(CancellationToken.None);

        File.Exists(Path.Combine(mission.Worktree, "README.md")).ShouldBeTrue();
        ExecutionLoops.Core.Tests.TestSupport.TempGitRepo.RunGit(mission.Worktree, "rev-parse", "HEAD").Trim().ShouldBe(fixture.Run.BaseCommit);
        fixture.Replay().Timings.Single().Stage.ShouldBe(MissionStage.Prepare);
        fixture.Entries()[^1].Done.ShouldBe(new PrepareRecord(mission.Worktree));
    }
}
