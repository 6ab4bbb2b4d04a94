using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>Why a mission stops before it publishes (or, for <see cref="MissionOutcome.Published"/>, that it did).</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">One line for the report.</param>
/// <param name="Diagnostics">The problems, if any.</param>
/// <param name="LogTail">The end of a failed toil's output, or null.</param>
internal sealed record MissionEnd(MissionOutcome Outcome, string Message, IReadOnlyList<Diagnostic> Diagnostics, string? LogTail = null);
