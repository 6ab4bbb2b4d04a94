using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class PublishStageTests
{
    [Theory]
    [InlineData(DraftPolicy.AdvisoryGatesFail, GateStatus.Passed, false)]
    [InlineData(DraftPolicy.AdvisoryGatesFail, GateStatus.Failed, true)]
    [InlineData(DraftPolicy.Always, GateStatus.Passed, true)]
    [InlineData(DraftPolicy.Never, GateStatus.Failed, false)]
    public void IsDraft_FollowsTheBriefThenTheGates(DraftPolicy policy, GateStatus status, bool draft)
    {
        var brief = new MissionBrief { Id = "m", Kind = "command", Title = "t", SourcePath = "/m.md", RelativePath = "m.md", Review = ReviewSettings.Default with { DraftWhen = policy } };

        PublishStage.IsDraft(brief, [new GateResult("docs", status, false, TimeSpan.Zero, "", [])]).ShouldBe(draft);
    }

    [Fact]
    public async Task Publish_OpensTheReviewItemOnTheCommittedBranch_AndJournalsWhereItIs()
    {
        using var fixture = await StageFixture.CreateAsync();
        var mission = fixture.Mission();
        await new PrepareStage(mission).RunAsync(CancellationToken.None);
        File.WriteAllText(Path.Combine(mission.Worktree, "notes.txt"), "a line\n");
        await mission.Journal.RunStageAsync(MissionStage.Toil, () => Task.FromResult(new StageOutput(true, "appended", new ToilRecord("appended a line", [new FileChange("notes.txt", 1, 0)], []))));
        await mission.Journal.RunStageAsync(MissionStage.Gates, () => Task.FromResult(new StageOutput(true, "no gates", new GatesRecord([]))));
        await new CommitStage(mission).RunAsync(CancellationToken.None);

        await new PublishStage(mission).RunAsync(CancellationToken.None);

        fixture.Replay().Published.ShouldBe(new PublishRecord("m", "loops review show m"));
        var item = Directory.GetFiles(fixture.Run.Workspace.State.Reviews, "*.json").Single();
        File.ReadAllText(item).ShouldContain(mission.Progress.Commit!);
    }
}
