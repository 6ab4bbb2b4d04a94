using ExecutionLoops.Briefs;

namespace ExecutionLoops.Gates;

/// <summary>
/// A quality gate evaluated on the mission worktree after toil. Required gates fail the mission; advisory ones mark
/// the review item as a draft. It describes itself (name, options; see <see cref="IGateDescription"/>) and its
/// traits. A new gate is one class and one line in <see cref="Execution.LoopsRegistry"/>.
/// </summary>
public interface IGate : IGateDescription
{
    /// <summary>
    /// True when the gate only reads, so it can check a developer's working tree in place (<c>loops pair check</c>,
    /// the MCP tool); gates that measure a mission's change against its base (diff limits, coverage) cannot.
    /// </summary>
    bool ChecksWorkingTree => false;

    /// <summary>
    /// True when the gate runs on every change of a kind that runs agent-written code (<see cref="Toil.IToil.RunsAgentCode"/>),
    /// whether or not the brief lists it.
    /// </summary>
    bool AlwaysOnAgentCode => false;

    /// <summary>
    /// Words that, in a brief's success criterion, name what this gate checks ("the tests pass" → test): the review
    /// item ticks such a criterion with the gate's result instead of leaving it to the reviewer.
    /// </summary>
    IReadOnlyList<string> CriterionWords => [];

    /// <summary>Evaluates the gate. Expected failures are results, not exceptions.</summary>
    Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken);
}
