namespace ExecutionLoops.Execution.Stages;

/// <summary>What a stage produced.</summary>
/// <param name="Succeeded">False for failed gates (journaled) or a failed toil (not journaled).</param>
/// <param name="Detail">One line for the observer.</param>
/// <param name="Record">What the journal keeps; null for a failed toil, which a resume must redo.</param>
internal sealed record StageOutput(bool Succeeded, string Detail, StageRecord? Record = null);
