using ExecutionLoops.Processes;

namespace ExecutionLoops.Pair;

/// <summary>
/// Checks success criteria that can be checked mechanically: "tests pass", "build succeeds",
/// "no new warnings", "command: &lt;shell command&gt;". Everything else is for a person.
/// </summary>
internal static class PairCriteria
{
    /// <summary>True when a criterion needs a test run.</summary>
    public static bool NeedsTests(IEnumerable<string> criteria) => criteria.Any(c => c.Contains("test", StringComparison.OrdinalIgnoreCase));

    /// <summary>Evaluates every criterion against the feedback.</summary>
    public static async Task<IReadOnlyList<CriterionResult>> EvaluateAsync(PairSession session, PairFeedback feedback, string root, ProcessRunner processes, CancellationToken cancellationToken)
    {
        var results = new List<CriterionResult>();
        foreach (var criterion in session.Criteria)
        {
            results.Add(await EvaluateAsync(criterion, session, feedback, root, processes, cancellationToken));
        }

        return results;
    }

    private static async Task<CriterionResult> EvaluateAsync(string criterion, PairSession session, PairFeedback feedback, string root, ProcessRunner processes, CancellationToken cancellationToken)
    {
        var text = criterion.Trim();
        var lower = text.ToLowerInvariant();
        if (lower.StartsWith("command:", StringComparison.Ordinal))
        {
            var run = text["command:".Length..].Trim();
            var result = await processes.RunAsync(ProcessSpec.Shell(run, root) with { Timeout = TimeSpan.FromMinutes(5) }, cancellationToken);
            return new(criterion, result.Succeeded ? CriterionStatus.Met : CriterionStatus.NotMet, result.Succeeded ? $"'{run}' passed" : $"'{run}' exited {result.ExitCode}");
        }

        if (lower.Contains("warning", StringComparison.Ordinal))
        {
            // A build that stopped in restore or evaluation reported no warnings because it compiled nothing.
            if (!feedback.BuildSucceeded)
            {
                return new(criterion, CriterionStatus.Unknown, "the build fails");
            }

            var baseline = session.BaselineWarnings ?? 0;
            return feedback.Warnings.Count <= baseline
                ? new(criterion, CriterionStatus.Met, $"{feedback.Warnings.Count} warning(s), {baseline} at the start")
                : new(criterion, CriterionStatus.NotMet, $"{feedback.Warnings.Count} warning(s), {baseline} at the start");
        }

        if (lower.Contains("test", StringComparison.Ordinal))
        {
            if (!feedback.TestsRun)
            {
                return new(criterion, CriterionStatus.Unknown, feedback.BuildSucceeded ? "tests not run" : "the build fails");
            }

            return feedback.FailedTests.Count == 0
                ? new(criterion, CriterionStatus.Met, $"{feedback.TestsPassed} passed")
                : new(criterion, CriterionStatus.NotMet, $"{feedback.FailedTests.Count} failed");
        }

        if (lower.Contains("build", StringComparison.Ordinal) || lower.Contains("compile", StringComparison.Ordinal))
        {
            return feedback.BuildSucceeded
                ? new(criterion, CriterionStatus.Met, "build succeeded")
                : new(criterion, CriterionStatus.NotMet, $"{feedback.Errors.Count} error(s)");
        }

        return new(criterion, CriterionStatus.Manual, "check by hand");
    }
}
