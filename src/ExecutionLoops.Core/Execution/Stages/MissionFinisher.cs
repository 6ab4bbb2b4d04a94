using ExecutionLoops.Diagnostics;
using ExecutionLoops.Isolation;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>Ends a mission: its masked report, journaled and shown; the worktree removed unless it is kept for inspection.</summary>
internal sealed class MissionFinisher(MissionContext mission)
{
    /// <summary>Finishes with the review item the publish stage recorded.</summary>
    public Task<MissionReport> PublishedAsync() =>
        FinishAsync(new MissionEnd(MissionOutcome.Published, $"Review item {mission.Progress.Published!.ReviewId} is ready: {mission.Progress.Published.Location}", []));

    /// <summary>Journals the mission as finished; a failed one keeps its worktree for inspection.</summary>
    public async Task<MissionReport> FinishAsync(MissionEnd end)
    {
        var run = mission.Run;
        var keepWorktree = end.Outcome is MissionOutcome.GateFailed or MissionOutcome.ToilFailed or MissionOutcome.Errored && Directory.Exists(mission.Worktree);
        var message = keepWorktree ? $"{end.Message} Worktree kept for inspection: {mission.Worktree}" : end.Message;
        var report = Report(end.Outcome, message, end.Diagnostics) with { LogTail = run.Masker.MaskOrNull(end.LogTail) };
        mission.Journal.Finish(report);
        if (!keepWorktree)
        {
            await new MissionClone(mission.Worktree).RemoveAsync(run.Workspace.Git, CancellationToken.None);
        }

        run.Observer.MissionFinished(report);
        return report;
    }

    /// <summary>
    /// The change is committed but publishing failed (the review target or its folder was unreachable): the mission is
    /// not finished in the journal, so the run stays open and 'loops resume' or the next 'loops delegate' publishes it.
    /// </summary>
    public MissionReport PublishPending(IReadOnlyList<Diagnostic> problems)
    {
        const string Retried = "it is retried by 'loops resume' or the next 'loops delegate'";
        var message = $"Committed {mission.Progress.Commit![..7]} on {mission.Branch}, but publishing failed; {Retried}.";
        var hinted = problems.Select(d => d with { Hint = $"The change is committed on its branch; publishing {Retried}." }).ToList();
        var report = Report(MissionOutcome.Errored, message, hinted) with { PublishPending = true };
        mission.Run.Observer.MissionFinished(report);
        return report;
    }

    /// <summary>What the mission's progress says about it, masked.</summary>
    private MissionReport Report(MissionOutcome outcome, string message, IReadOnlyList<Diagnostic> diagnostics)
    {
        var (run, brief, progress) = (mission.Run, mission.Brief, mission.Progress);
        return new MissionReport
        {
            MissionId = brief.Id,
            Title = brief.Title,
            Kind = brief.Kind,
            Outcome = outcome,
            Message = run.Masker.Mask(message),
            Branch = progress.Commit is null ? null : mission.Branch,
            Commit = progress.Commit,
            ReviewItemId = progress.Published?.ReviewId,
            ReviewLocation = progress.Published?.Location,
            Diff = progress.Diff,
            Stages = progress.Timings.ToList(),
            Gates = progress.Gates,
            Diagnostics = diagnostics.Select(run.Masker.Mask).ToList(),
            Toil = progress.Toil?.Summary,
            AgentUsage = progress.AgentUsage,
            Sandbox = mission.Sandbox?.Describe(),
            LogPath = mission.LogPath,
        };
    }
}
