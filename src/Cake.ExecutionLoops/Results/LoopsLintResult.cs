namespace Cake.ExecutionLoops;

/// <summary>What lint found in the briefs and <c>.loops/config.yml</c>.</summary>
public sealed record LoopsLintResult
{
    /// <summary>The ids of the valid missions.</summary>
    public IReadOnlyList<string> Briefs { get; init; } = [];

    /// <summary>How many errors.</summary>
    public int Errors { get; init; }

    /// <summary>How many warnings.</summary>
    public int Warnings { get; init; }

    /// <summary>Every problem, in canonical form through <see cref="LoopsDiagnostic.ToString"/>.</summary>
    public IReadOnlyList<LoopsDiagnostic> Diagnostics { get; init; } = [];
}
