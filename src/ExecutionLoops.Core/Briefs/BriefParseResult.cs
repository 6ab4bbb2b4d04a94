using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Briefs;

/// <summary>A parsed brief (null when it has errors) and every problem found in it.</summary>
internal sealed record BriefParseResult(MissionBrief? Brief, IReadOnlyList<Diagnostic> Diagnostics);
