using ExecutionLoops.Agents;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>What follows an attempt's gates: commit the change, try again, or stop.</summary>
internal abstract record AttemptDecision
{
    private AttemptDecision()
    {
    }

    /// <summary>Go on to commit: the required gates passed, or the last attempt goes to review as a draft.</summary>
    public sealed record Commit : AttemptDecision;

    /// <summary>Start <paramref name="Next"/>: toil and gates again, in the same worktree, with the failures.</summary>
    public sealed record Retry(AttemptRecord Next) : AttemptDecision;

    /// <summary>Stop without publishing.</summary>
    public sealed record Stop(MissionEnd End) : AttemptDecision;
}

/// <summary>
/// Agent kinds correct themselves: failed required gates go back to the agent, up to <c>max-attempts</c>; after the
/// last, <c>draft-on-failure</c> decides between a draft and nothing. Other kinds get one attempt. The agent never
/// decides what passes.
/// </summary>
internal static class AttemptPolicy
{
    /// <summary>Decides what follows the gates of the attempt <paramref name="progress"/> is in.</summary>
    /// <param name="brief">The mission.</param>
    /// <param name="progress">Its progress after the gates.</param>
    /// <param name="agent">The agent settings, or null for kinds that do not run agent-written code.</param>
    public static AttemptDecision Decide(MissionBrief brief, MissionProgress progress, AgentSettings? agent)
    {
        var failed = progress.Gates.Where(g => g.BlocksMission).ToList();
        var maxAttempts = agent?.MaxAttempts ?? 1;
        if (failed.Count == 0)
        {
            return new AttemptDecision.Commit();
        }

        if (progress.Attempt < maxAttempts)
        {
            return new AttemptDecision.Retry(new AttemptRecord(progress.Attempt + 1, GateRunner.FailureReport(progress.Gates)));
        }

        var names = string.Join(", ", failed.Select(g => g.Name));
        var diagnostics = failed.SelectMany(g => g.Diagnostics).ToList();
        if (agent is null)
        {
            return new AttemptDecision.Stop(new MissionEnd(MissionOutcome.GateFailed, $"Required gate(s) failed: {names}. Nothing was published.", diagnostics));
        }

        if (!agent.DraftOnFailure || progress.Changes.Count == 0)
        {
            var exhausted = Diagnostic.Error(DiagnosticCodes.AttemptsExhausted, $"All {maxAttempts} attempt(s) failed required gate(s): {names}. Nothing was published.", brief.RelativePath, hint: "Read the gate failures below; sharpen the specification or the scope, or set agent.draft-on-failure: true to review the last attempt as a draft.");
            return new AttemptDecision.Stop(new MissionEnd(MissionOutcome.GateFailed, exhausted.Message, [exhausted, .. diagnostics]));
        }

        // draft-on-failure: the last attempt goes to review as a draft, with the failing gates in its body.
        return new AttemptDecision.Commit();
    }
}
