using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>Prepare: a detached worktree at the base commit, or for agent kinds the sandbox's clone.</summary>
internal sealed class PrepareStage(MissionContext mission)
{
    /// <summary>
    /// Forgets what a resume cannot trust. A worktree lost since the last run (temp cleaned, machine rebooted) means the
    /// toil must be redone, unless the change is already committed: commits live in the repository, not the worktree.
    /// A toil interrupted half-way left the worktree in an unknown state: it starts again from a clean worktree.
    /// </summary>
    public static void ResetForResume(MissionProgress progress, bool worktreeExists)
    {
        if (!progress.IsDone(MissionStage.Toil) || (!progress.IsDone(MissionStage.Commit) && !worktreeExists))
        {
            progress.ResetFrom(MissionStage.Prepare);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (mission.Progress.IsDone(MissionStage.Prepare))
        {
            return;
        }

        var run = mission.Run;
        await mission.Journal.RunStageAsync(MissionStage.Prepare, async () =>
        {
            var record = new PrepareRecord(mission.Worktree);
            if (mission.Sandbox is { } sandbox)
            {
                await sandbox.PrepareAsync(run.Workspace.Git, run.BaseCommit, cancellationToken);
                return new StageOutput(true, $"clone at {run.BaseCommit[..7]}, sandbox {sandbox.Choice.Backend?.Name ?? "none"}", record);
            }

            await run.Workspace.Git.AddDetachedWorktreeAsync(mission.Worktree, run.BaseCommit, cancellationToken);
            return new StageOutput(true, $"worktree at {run.BaseCommit[..7]}", record);
        });
    }
}
