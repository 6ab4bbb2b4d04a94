using System.Text;
using ExecutionLoops.Briefs;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Review;

/// <summary>The body of a mission's review item: what was asked, how it was checked, and how to answer.</summary>
internal static class ReviewBodyWriter
{
    /// <summary>Writes the Markdown body.</summary>
    /// <param name="brief">The mission.</param>
    /// <param name="gates">Gate results.</param>
    /// <param name="criterionWords">Per gate, the words that name what it checks in a success criterion.</param>
    /// <param name="diff">Size of the change.</param>
    /// <param name="stages">Stage timings.</param>
    /// <param name="runId">The run.</param>
    /// <param name="feedbackHowTo">How reviewers answer (from the review target).</param>
    /// <param name="logUrl">Where the run's logs are, if known; the gate table links to it.</param>
    /// <param name="toilDetails">The toil's own description of the change (Markdown), if it wrote one.</param>
    public static string Write(MissionBrief brief, IReadOnlyList<GateResult> gates, IReadOnlyDictionary<string, IReadOnlyList<string>> criterionWords, DiffStat diff, IReadOnlyList<StageTiming> stages, string runId, string feedbackHowTo, string? logUrl = null, string? toilDetails = null)
    {
        var text = new StringBuilder();
        text.AppendLine($"## {brief.Review.Title ?? brief.Title}");
        text.AppendLine();
        text.AppendLine($"Mission `{brief.Id}` ({brief.Kind}) from `{brief.RelativePath}`, run `{runId}`{(logUrl is null ? "" : $" ([logs]({logUrl}))")}.");
        if (brief.Review.Issue is { } issue)
        {
            text.AppendLine();
            text.AppendLine($"Refs #{issue}");
        }

        text.AppendLine();
        var summary = Summary(brief.Specification);
        if (summary.Length > 0)
        {
            text.AppendLine($"> {summary.Replace("\n", "\n> ", StringComparison.Ordinal)}");
            text.AppendLine();
        }

        if (toilDetails is { Length: > 0 })
        {
            text.AppendLine("### Changes");
            text.AppendLine();
            text.AppendLine(toilDetails.TrimEnd());
            text.AppendLine();
        }

        if (brief.Success.Count > 0)
        {
            text.AppendLine("### Success criteria");
            text.AppendLine();
            foreach (var criterion in brief.Success)
            {
                text.AppendLine(CriterionLine(criterion, gates, criterionWords));
            }

            text.AppendLine();
        }

        text.AppendLine("### Gates");
        text.AppendLine();
        foreach (var line in MarkdownText.GateTable(gates.Select(g => ((string?)null, g)).ToList(), logUrl))
        {
            text.AppendLine(line);
        }

        text.AppendLine();
        text.AppendLine($"**Change:** +{diff.Insertions} −{diff.Deletions} in {diff.Files} file(s).");
        text.AppendLine();
        if (stages.Count > 0)
        {
            text.AppendLine("### Timeline");
            text.AppendLine();
            text.Append(MermaidGantt.Write($"Mission {brief.Id}", [(brief.Id, stages)]));
            text.AppendLine();
        }

        text.AppendLine("### Feedback");
        text.AppendLine();
        text.AppendLine(feedbackHowTo);
        return text.ToString();
    }

    /// <summary>
    /// A criterion that names what a gate which ran checks (its <see cref="IGate.CriterionWords"/>) takes that gate's
    /// result; the others are left for the reviewer to tick.
    /// </summary>
    private static string CriterionLine(string criterion, IReadOnlyList<GateResult> gates, IReadOnlyDictionary<string, IReadOnlyList<string>> criterionWords)
    {
        var lower = criterion.ToLowerInvariant();
        var gate = gates.FirstOrDefault(g => criterionWords.GetValueOrDefault(g.Name, []).Any(word => lower.Contains(word, StringComparison.Ordinal)));
        return gate switch
        {
            { Status: GateStatus.Passed } => $"- [x] {criterion} (checked by the {gate.Name} gate)",
            { Status: GateStatus.Failed } => $"- [ ] {criterion} (✗ the {gate.Name} gate failed)",
            _ => $"- [ ] {criterion} (for the reviewer)",
        };
    }

    /// <summary>The first paragraph of the specification after its heading, trimmed to about 600 characters.</summary>
    private static string Summary(string specification)
    {
        var paragraphs = specification.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = paragraphs.FirstOrDefault(p => !p.StartsWith('#')) ?? "";
        return first.Length <= 600 ? first : first[..597].TrimEnd() + "…";
    }
}
