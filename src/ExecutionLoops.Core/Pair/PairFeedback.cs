using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Pair;

/// <summary>What the last build (and test run) said.</summary>
/// <param name="BuildSucceeded">Whether the build passed.</param>
/// <param name="Errors">Compiler errors with locations.</param>
/// <param name="Warnings">Compiler warnings with locations.</param>
/// <param name="TestsRun">Whether tests ran.</param>
/// <param name="TestsPassed">Passed tests.</param>
/// <param name="FailedTests">Failed tests with their first message line.</param>
public sealed record PairFeedback(
    bool BuildSucceeded,
    IReadOnlyList<Diagnostic> Errors,
    IReadOnlyList<Diagnostic> Warnings,
    bool TestsRun,
    int TestsPassed,
    IReadOnlyList<string> FailedTests);
