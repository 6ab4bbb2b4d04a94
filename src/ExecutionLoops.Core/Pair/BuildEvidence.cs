namespace ExecutionLoops.Pair;

/// <summary>The result of a build the caller already ran: whether it succeeded, and the compiler's SARIF log.</summary>
public sealed record BuildEvidence(bool Succeeded, string CompilerLog);
