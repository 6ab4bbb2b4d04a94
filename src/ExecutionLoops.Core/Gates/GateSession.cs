using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Gates;

/// <summary>
/// State shared by the gates of one evaluation so work is not repeated (the build gate records a successful build
/// and the test gate then runs with <c>--no-build</c>), and the details behind their verdicts for callers that show
/// more than a <see cref="GateResult"/> (the pair loop's dashboard lists every warning and test).
/// </summary>
public sealed class GateSession
{
    /// <summary>True once a build of the worktree succeeded in this evaluation.</summary>
    public bool BuildSucceeded { get; set; }

    /// <summary>Every error and warning of the last build, paths relative to the worktree.</summary>
    public IReadOnlyList<Diagnostic> BuildDiagnostics { get; set; } = [];

    /// <summary>The outcome of the last test run, or null when no tests ran.</summary>
    public TrxResults? TestResults { get; set; }
}
