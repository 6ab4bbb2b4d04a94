using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Gates;

/// <summary>One gate's verdict with what a reviewer needs: duration, summary, findings, log tail.</summary>
/// <param name="Name">The gate name.</param>
/// <param name="Status">Passed, failed or skipped.</param>
/// <param name="Required">Whether a failure fails the mission.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="Summary">One line, e.g. "12 passed, 1 failed: Calc.Adds".</param>
/// <param name="Diagnostics">EL3xxx findings with locations where known.</param>
/// <param name="LogTail">The last lines of the gate's output.</param>
public sealed record GateResult(
    string Name,
    GateStatus Status,
    bool Required,
    TimeSpan Duration,
    string Summary,
    IReadOnlyList<Diagnostic> Diagnostics,
    string LogTail = "")
{
    /// <summary>True when the gate failed and is required.</summary>
    public bool BlocksMission => Status == GateStatus.Failed && Required;
}
