using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Briefs;

/// <summary>The valid briefs of a repository, sorted by id, and every problem found in any of them.</summary>
public sealed record CatalogLoadResult(IReadOnlyList<MissionBrief> Briefs, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
