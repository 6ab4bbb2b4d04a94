using ExecutionLoops.Briefs;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>Commit: the toil's changed paths, with <c>Mission-Id:</c> and <c>Loops-Run:</c> trailers; then <c>loops/&lt;id&gt;</c> moves to it.</summary>
internal sealed class CommitStage(MissionContext mission)
{
    /// <summary>The commit message: the brief's (or a chore subject), the toil's summary, and the trailers.</summary>
    public static string Message(MissionBrief brief, string runId, string? toilSummary)
    {
        var subject = brief.Review.CommitMessage ?? brief.Review.Title ?? $"chore(loops): {brief.Title}";
        var body = string.IsNullOrWhiteSpace(toilSummary) ? "" : $"{toilSummary}\n\n";
        return $"{subject}\n\n{body}Mission-Id: {brief.Id}\nLoops-Run: {runId}\n";
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (mission.Progress.IsDone(MissionStage.Commit))
        {
            return;
        }

        var git = mission.Run.Workspace.Git;
        await mission.Journal.RunStageAsync(MissionStage.Commit, async () =>
        {
            var commit = await CommitAsync(cancellationToken);
            if (mission.Sandbox is not null)
            {
                // The clone is not the user's repository: bring the commit over before the branch can point at it.
                await git.FetchCommitAsync(mission.Worktree, commit, cancellationToken);
            }

            await git.SetBranchAsync(mission.Branch, commit, cancellationToken);
            return new StageOutput(true, commit[..7], new CommitRecord(commit));
        });
    }

    private async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        var (run, git) = (mission.Run, mission.Run.Workspace.Git);

        // A run killed between the commit and its journal entry has already committed: reuse that commit.
        var head = await git.ResolveCommitAsync("HEAD", mission.Worktree, cancellationToken);
        if (head is not null && head != run.BaseCommit)
        {
            var existing = await git.CommitMessageAsync(head, mission.Worktree, cancellationToken);
            if (existing.Contains($"Loops-Run: {run.RunId}", StringComparison.Ordinal))
            {
                return head;
            }
        }

        var message = Message(mission.Brief, run.RunId, mission.Progress.Toil?.Summary);
        return await git.CommitPathsAsync(mission.Worktree, mission.Progress.Changes.Select(c => c.Path).ToList(), message, cancellationToken);
    }
}
