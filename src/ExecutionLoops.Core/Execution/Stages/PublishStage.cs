using ExecutionLoops.Briefs;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;

namespace ExecutionLoops.Execution.Stages;

/// <summary>Publish: create or update the mission's review item. The target is idempotent per run and head commit.</summary>
internal sealed class PublishStage(MissionContext mission)
{
    /// <summary>Whether the item opens as a draft: as the brief says, else when any gate (advisory, or required on a draft-on-failure attempt) failed.</summary>
    public static bool IsDraft(MissionBrief brief, IReadOnlyList<GateResult> gates) => brief.Review.DraftWhen switch
    {
        DraftPolicy.Always => true,
        DraftPolicy.Never => false,
        _ => gates.Any(g => g.Status == GateStatus.Failed),
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (mission.Progress.IsDone(MissionStage.Publish))
        {
            return;
        }

        await mission.Journal.RunStageAsync(MissionStage.Publish, async () =>
        {
            var item = await mission.Run.ReviewTarget.PublishAsync(Request(), cancellationToken);
            return new StageOutput(true, $"{(item.Created ? "created" : "updated")} review item {item.Id} (revision {item.Revision})", new PublishRecord(item.Id, item.Location));
        });
    }

    private ReviewRequest Request()
    {
        var (run, brief, progress) = (mission.Run, mission.Brief, mission.Progress);
        var target = run.ReviewTarget;
        var body = run.Masker.Mask(ReviewBodyWriter.Write(brief, progress.Gates, run.Registry.CriterionWords, progress.Diff, progress.Timings, run.RunId, target.FeedbackHowTo(brief.Id), target.LogUrl, progress.Toil?.Details));
        var title = run.Masker.Mask(brief.Review.Title ?? brief.Title);
        return new ReviewRequest(brief, run.RunId, mission.Branch, run.BaseBranch, run.BaseCommit, progress.Commit!, title, body, IsDraft(brief, progress.Gates), progress.Diff, progress.Gates);
    }
}
