namespace ExecutionLoops.Briefs;

/// <summary>
/// The words a brief may use: the toil kinds and gates this build can run, and the ones the product
/// knows of (so the linter can tell "planned, not available here" from a typo).
/// </summary>
/// <param name="Kinds">Toil kinds with a registered executor.</param>
/// <param name="Gates">Gates with a registered evaluator.</param>
public sealed record BriefVocabulary(IReadOnlySet<string> Kinds, IReadOnlySet<string> Gates)
{
    /// <summary>Every toil kind of the product (DESIGN.md).</summary>
    public static IReadOnlyList<string> AllKinds { get; } = ["format", "command", "dependencies", "docs", "analyze", "tests", "agent"];

    /// <summary>Every gate of the product (DESIGN.md).</summary>
    public static IReadOnlyList<string> AllGates { get; } = ["build", "test", "format", "diff", "coverage", "secrets", "command", "docs", "analyzers"];

    /// <summary>Kinds of routine toil that should be delegated rather than paired on.</summary>
    public static IReadOnlySet<string> RoutineKinds { get; } = new HashSet<string>(StringComparer.Ordinal) { "format", "dependencies", "docs", "analyze", "command" };
}
