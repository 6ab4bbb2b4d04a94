namespace ExecutionLoops.Gates;

/// <summary>A build the caller already ran (the MSBuild Pair target builds in-process): whether it succeeded, and the compiler's SARIF log.</summary>
public sealed record BuildEvidence(bool Succeeded, string CompilerLog);
