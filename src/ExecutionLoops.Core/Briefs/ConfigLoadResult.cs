using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Briefs;

/// <summary>The repository config (defaults where the file is missing or broken) and the problems found in it.</summary>
internal sealed record ConfigLoadResult(LoopsConfig Config, IReadOnlyList<Diagnostic> Diagnostics);
