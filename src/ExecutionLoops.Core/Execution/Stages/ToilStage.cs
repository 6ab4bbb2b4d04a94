using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Toil: the kind's executor changes the worktree, with the reviewers' pending feedback and, from the second attempt,
/// the gate failures of the one before. Only a successful toil is journaled: a resume redoes a failed or interrupted one.
/// </summary>
internal sealed class ToilStage(MissionContext mission, GateRunner gates)
{
    /// <summary>Runs the toil unless a resume already has it; a failed toil ends the mission.</summary>
    public async Task<MissionEnd?> RunAsync(CancellationToken cancellationToken)
    {
        if (mission.Progress.IsDone(MissionStage.Toil))
        {
            return null;
        }

        var run = mission.Run;
        var feedback = await run.ReviewTarget.PendingFeedbackAsync(mission.Brief.Id, cancellationToken);
        ToilResult? result = null;
        await mission.Journal.RunStageAsync(MissionStage.Toil, async () =>
        {
            // The gates' hosts warm the build servers while the agent works (sandboxed agent missions only).
            mission.Sandbox?.StartGateHosts();
            result = run.Masker.Mask(await ExecuteAsync(feedback, cancellationToken));
            var usage = AddUsage(result.Usage);
            if (!result.Succeeded)
            {
                return new StageOutput(false, result.Summary);
            }

            var changes = await run.Workspace.Git.DiffWorkingTreeAsync(mission.Worktree, run.BaseCommit, cancellationToken);
            var attemptNote = mission.MaxAttempts > 1 ? $" (attempt {mission.Progress.Attempt} of {mission.MaxAttempts})" : "";
            var record = new ToilRecord(result.Summary, changes, result.SandboxViolations, result.Details, usage);
            return new StageOutput(true, $"{result.Summary}; {changes.Count} file(s) changed{attemptNote}", record);
        });

        return result is { Succeeded: false } failed ? new MissionEnd(MissionOutcome.ToilFailed, failed.Summary, failed.Diagnostics, failed.LogTail) : null;
    }

    private async Task<ToilResult> ExecuteAsync(IReadOnlyList<ReviewFeedback> feedback, CancellationToken cancellationToken)
    {
        var (run, brief) = (mission.Run, mission.Brief);
        var toil = run.Registry.FindToil(brief.Kind);
        if (toil is null)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.UnknownKind, $"No executor for kind '{brief.Kind}' in this version.", brief.RelativePath, hint: "Run 'loops lint' to see which kinds are available."));
        }

        var context = new ToilContext(brief, run.Workspace.Config, mission.Worktree, feedback, mission.Log, mission.ToilProcesses, mission.Timeout)
        {
            EngineProcesses = run.Processes,
            Clock = run.Clock,
            TempDirectory = mission.Sandbox?.AgentTempDirectory,
            ArtifactsDirectory = Path.Combine(run.Workspace.State.Runs, run.RunId),
            BaseCommit = run.BaseCommit,
            Attempt = mission.Progress.Attempt,
            PreviousFailures = mission.Progress.PreviousFailures,
            RunGates = gates.CheckWorktreeAsync,
            Gates = GateRunner.Specs(brief, run.Workspace.Config, run.Registry, mission.RunsAgentCode).Select(g => g.Name).ToList(),
        };
        try
        {
            return await toil.ExecuteAsync(context, cancellationToken);
        }
        catch (ToolNotFoundException ex)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToolMissing, ex.Message, brief.RelativePath, hint: $"Install '{ex.FileName}' or put it on PATH."));
        }
    }

    /// <summary>Adds an attempt's usage to the mission's total, failed attempts included; null when the attempt reported none.</summary>
    private AgentUsageReport? AddUsage(AgentUsageReport? usage) =>
        usage is null ? null : mission.Progress.AgentUsage = mission.Progress.AgentUsage is { } earlier ? earlier.Add(usage) : usage;
}
