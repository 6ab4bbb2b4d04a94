using System.Text;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>The compact dashboard every feedback call prints.</summary>
internal static class PairDashboard
{
    /// <summary>
    /// Writes it. Diagnostics are shown as <c>✗ path:line:col message</c>, not in the canonical form: the build
    /// has already reported them as errors, and MSBuild would count a canonical line twice.
    /// </summary>
    public static string Write(PairSession session, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, IReadOnlyList<Diagnostic> newDiagnostics, IReadOnlyList<FileChange> changed, PairCheckpoint checkpoint, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.AppendLine($"Pair session {session.Id}: {session.Goal}");
        text.AppendLine(TimeLine(session, now));
        var tests = feedback.TestsRun ? $"; tests: {feedback.TestsPassed} passed, {feedback.FailedTests.Count} failed" : "";
        text.AppendLine($"Build: {(feedback.BuildSucceeded ? "ok" : "FAILED")} ({feedback.Errors.Count} error(s), {feedback.Warnings.Count} warning(s)){tests}");
        foreach (var failed in feedback.FailedTests.Take(10))
        {
            text.AppendLine($"  failed: {failed}");
        }

        if (criteria.Count > 0)
        {
            text.AppendLine("Criteria:");
            foreach (var criterion in criteria)
            {
                text.AppendLine($"  {Mark(criterion.Status)} {criterion.Criterion} ({criterion.Detail})");
            }
        }

        // A reused checkpoint is the state of this call: what is new is measured against it, not the one before it.
        var previous = checkpoint.Number == 0 || checkpoint.Reused ? session.Checkpoints.Count : checkpoint.Number - 1;
        var since = previous > 0 ? $"checkpoint {previous}" : "the start";
        text.AppendLine(newDiagnostics.Count == 0 ? $"No new diagnostics since {since}." : $"New since {since}:");
        foreach (var diagnostic in newDiagnostics.Take(20))
        {
            text.AppendLine($"  {(diagnostic.IsError ? "✗" : "!")} {diagnostic.Path}:{diagnostic.Line}:{diagnostic.Column} {diagnostic.Message}");
        }

        text.AppendLine(changed.Count == 0 ? $"No files changed since {since}." : $"Changed since {since}: {string.Join(", ", changed.Select(c => $"{c.Path} (+{c.Insertions} −{c.Deletions})"))}");
        text.AppendLine(checkpoint.Number == 0
            ? "Not green: no checkpoint kept. Context pack: .loops/pair/context.md"
            : checkpoint.Reused
                ? $"Checkpoint {checkpoint.Number} reused: the working tree and HEAD are as it recorded them ({session.RefFor(checkpoint.Number)}). Context pack: .loops/pair/context.md"
                : $"Checkpoint {checkpoint.Number} saved ({session.RefFor(checkpoint.Number)}). Context pack: .loops/pair/context.md");
        return text.ToString();
    }

    /// <summary>Time used and left, with a warning past the time box.</summary>
    public static string TimeLine(PairSession session, DateTimeOffset now)
    {
        var used = now - session.Started;
        if (session.Timebox is not { } box)
        {
            return $"Time: {DurationParser.Format(Round(used))} used (no time box)";
        }

        return used <= box
            ? $"Time: {DurationParser.Format(Round(used))} used of {DurationParser.Format(box)} ({DurationParser.Format(Round(box - used))} left)"
            : $"Time: WARNING past the time box: {DurationParser.Format(Round(used))} used of {DurationParser.Format(box)}";
    }

    /// <summary>A mark for a criterion status.</summary>
    public static string Mark(CriterionStatus status) => status switch
    {
        CriterionStatus.Met => "✓",
        CriterionStatus.NotMet => "✗",
        CriterionStatus.Unknown => "?",
        _ => "·",
    };

    private static TimeSpan Round(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Round(span.TotalSeconds)));
}
