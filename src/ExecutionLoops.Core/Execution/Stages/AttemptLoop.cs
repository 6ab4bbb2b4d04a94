using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Prepare → toil → gates, again while <see cref="AttemptPolicy"/> says retry. Each further attempt is journaled before
/// it starts, so a killed run resumes at the attempt it was in (from a fresh worktree, with the failures).
/// </summary>
internal sealed class AttemptLoop(MissionContext mission)
{
    /// <summary>Null when the change goes on to commit; otherwise why the mission ends here.</summary>
    public async Task<MissionEnd?> RunAsync(CancellationToken cancellationToken)
    {
        var gates = new GateRunner(mission);
        var prepare = new PrepareStage(mission);
        var toil = new ToilStage(mission, gates);
        var gatesStage = new GatesStage(mission, gates);
        while (true)
        {
            await prepare.RunAsync(cancellationToken);
            if (await toil.RunAsync(cancellationToken) is { } toilFailed)
            {
                return toilFailed;
            }

            if (mission.Progress.Changes.Count == 0 && mission.Progress.SandboxViolations.Count == 0)
            {
                return new MissionEnd(MissionOutcome.NoChanges, "The toil changed nothing; nothing to publish.", []);
            }

            await gatesStage.RunAsync(cancellationToken);
            switch (AttemptPolicy.Decide(mission.Brief, mission.Progress, mission.Agent))
            {
                case AttemptDecision.Retry retry:
                    mission.Journal.StartAttempt(retry.Next);
                    continue;
                case AttemptDecision.Stop stop:
                    return stop.End;
                default:
                    return null;
            }
        }
    }
}
