using ExecutionLoops.Briefs;

namespace ExecutionLoops.Gates;

/// <summary>
/// A quality gate evaluated on the mission worktree after toil. Required gates fail the mission;
/// advisory ones mark the review item as a draft. Register new gates in <see cref="Execution.LoopsRegistry"/>.
/// </summary>
public interface IGate
{
    /// <summary>The name used in briefs (<c>build</c>, <c>test</c>, …).</summary>
    string Name { get; }

    /// <summary>
    /// True when the gate runs on every change of a kind that runs agent-written code (<see cref="Toil.IToil.RunsAgentCode"/>),
    /// whether or not the brief lists it.
    /// </summary>
    bool AlwaysOnAgentCode => false;

    /// <summary>Evaluates the gate. Expected failures are results, not exceptions.</summary>
    Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken);
}
