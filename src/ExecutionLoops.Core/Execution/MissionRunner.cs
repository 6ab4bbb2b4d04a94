using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution;

/// <summary>
/// Runs one mission through its stages (<see cref="AttemptLoop"/>: prepare → toil → gates, then
/// <see cref="CommitStage"/> → <see cref="PublishStage"/>), each journaled before the next starts and skipped when a
/// resumed run already completed it; turns the mission's time-out and failures into its report.
/// </summary>
internal sealed class MissionRunner(RunContext run)
{
    public async Task<MissionReport> RunAsync(MissionBrief brief, MissionProgress progress, CancellationToken cancellationToken)
    {
        if (progress.Finished is { } finished)
        {
            return finished;
        }

        var timeout = brief.Constraints.Timeout ?? run.Workspace.Config.MissionTimeout;
        using var missionTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        missionTimeout.CancelAfter(timeout);
        using var log = new FileMissionLog(MissionContext.LogPathFor(run, brief), run.Masker);
        var mission = new MissionContext(run, brief, progress, log, timeout);
        var finisher = new MissionFinisher(mission);
        try
        {
            return await RunStagesAsync(mission, finisher, missionTimeout.Token);
        }
        catch (OperationCanceledException) when (missionTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var diagnostic = Diagnostic.Error(DiagnosticCodes.ToilTimedOut, $"Mission '{brief.Id}' exceeded its timeout of {DurationParser.Format(timeout)} and was stopped.", brief.RelativePath, hint: "Raise constraints.timeout in the brief, or make the work smaller.");
            return await finisher.FinishAsync(new MissionEnd(MissionOutcome.ToilFailed, diagnostic.Message, [diagnostic]));
        }
        catch (Exception ex) when (ex is not OperationCanceledException && progress.IsDone(MissionStage.Commit) && !progress.IsDone(MissionStage.Publish))
        {
            log.Write(ex.ToString());
            return finisher.PublishPending(ex is LoopsException known ? known.Diagnostics : [Diagnostic.Error(DiagnosticCodes.PublishFailed, $"Publishing mission '{brief.Id}' failed: {ex.Message}")]);
        }
        catch (LoopsException ex)
        {
            log.Write(ex.ToString());
            return await finisher.FinishAsync(new MissionEnd(MissionOutcome.Errored, ex.Diagnostics[0].Message, ex.Diagnostics));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One mission's unexpected failure must not stop the run, or every resume would hit it again.
            log.Write(ex.ToString());
            var diagnostic = Diagnostic.Error(DiagnosticCodes.MissionCrashed, $"Mission '{brief.Id}' stopped on an unexpected error: {ex.Message}", brief.RelativePath, hint: $"See the mission log: {mission.LogPath}");
            return await finisher.FinishAsync(new MissionEnd(MissionOutcome.Errored, diagnostic.Message, [diagnostic]));
        }
        finally
        {
            // A compiler server the gates left warm dies with the mission, however it ended.
            if (mission.Sandbox is { } sandbox)
            {
                await sandbox.DisposeAsync();
            }
        }
    }

    private static async Task<MissionReport> RunStagesAsync(MissionContext mission, MissionFinisher finisher, CancellationToken cancellationToken)
    {
        PrepareStage.ResetForResume(mission.Progress, Directory.Exists(mission.Worktree));
        await mission.IsolateAsync(cancellationToken);
        if (await new AttemptLoop(mission).RunAsync(cancellationToken) is { } end)
        {
            return await finisher.FinishAsync(end);
        }

        await new CommitStage(mission).RunAsync(cancellationToken);
        await new PublishStage(mission).RunAsync(cancellationToken);
        return await finisher.PublishedAsync();
    }
}
