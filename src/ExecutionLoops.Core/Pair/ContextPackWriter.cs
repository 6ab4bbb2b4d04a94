using System.Text;
using System.Text.RegularExpressions;
using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>
/// <c>.loops/pair/context.md</c> for the AI assistant: goal, criteria, time box, notes, the diff since the
/// session started, build errors and failing tests, and outlines of the changed files — within a size
/// budget, deterministic and sorted so it diffs well.
/// </summary>
public static partial class ContextPackWriter
{
    /// <summary>The default budget in characters.</summary>
    public const int DefaultBudget = 24_000;

    /// <summary>Writes the pack.</summary>
    public static string Write(PairSession session, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, string diff, IReadOnlyList<FileChange> changed, string root, int budget, DateTimeOffset now)
    {
        var head = new StringBuilder();
        head.AppendLine($"# Pair session context: {session.Goal}");
        head.AppendLine();
        head.AppendLine($"- Session: `{session.Id}`, started {session.Started:yyyy-MM-dd HH:mm}Z");
        // The time box, not the time used: the pack stays the same from call to call until something in it changed.
        head.AppendLine(session.Timebox is { } box
            ? $"- Time box: {DurationParser.Format(box)}, ends {session.Started + box:HH:mm}Z"
            : "- No time box");
        head.AppendLine();
        head.AppendLine("## Success criteria");
        head.AppendLine();
        foreach (var criterion in criteria)
        {
            head.AppendLine($"- {PairDashboard.Mark(criterion.Status)} {criterion.Criterion} ({criterion.Detail})");
        }

        if (criteria.Count == 0)
        {
            head.AppendLine("- (none given)");
        }

        head.AppendLine();
        head.AppendLine("## Notes and decisions");
        head.AppendLine();
        foreach (var note in session.Notes)
        {
            head.AppendLine($"- {note.At:HH:mm}Z {note.Text}");
        }

        if (session.Notes.Count == 0)
        {
            head.AppendLine("- (none yet)");
        }

        head.AppendLine();
        head.AppendLine("## Build and tests");
        head.AppendLine();
        head.AppendLine($"Build {(feedback.BuildSucceeded ? "succeeds" : "FAILS")}: {feedback.Errors.Count} error(s), {feedback.Warnings.Count} warning(s).");
        foreach (var error in feedback.Errors.OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Line))
        {
            head.AppendLine($"- `{error.Path}({error.Line},{error.Column})`: {error.Message}");
        }

        foreach (var failed in feedback.FailedTests.Order(StringComparer.Ordinal))
        {
            head.AppendLine($"- failing test: {failed}");
        }

        var text = new StringBuilder(head.ToString());
        var remaining = budget - text.Length;
        text.AppendLine();
        text.AppendLine("## Diff since the session started");
        text.AppendLine();
        var diffBlock = diff.Length == 0 ? "(no changes yet)" : diff;
        var diffBudget = Math.Max(0, remaining * 2 / 3 - 40);
        if (diffBlock.Length > diffBudget)
        {
            diffBlock = diffBlock[..diffBudget] + $"\n… (diff cut to fit the {budget}-character budget)";
        }

        text.AppendLine("```diff");
        text.AppendLine(diffBlock.TrimEnd());
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("## Outlines of the changed files");
        foreach (var file in changed.OrderByDescending(c => c.Insertions + c.Deletions).ThenBy(c => c.Path, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, file.Path);
            if (!File.Exists(path) || !file.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var outline = Outline(File.ReadAllLines(path));
            var block = $"\n### {file.Path}\n\n```csharp\n{outline}```\n";
            if (text.Length + block.Length > budget)
            {
                text.AppendLine();
                text.AppendLine("(more outlines left out to fit the budget)");
                break;
            }

            text.Append(block);
        }

        return text.ToString();
    }

    /// <summary>Type and member declaration lines: the shape of a file at a glance.</summary>
    private static string Outline(IEnumerable<string> lines)
    {
        var outline = new StringBuilder();
        foreach (var line in lines)
        {
            if (Declaration().IsMatch(line))
            {
                outline.AppendLine(line.TrimEnd());
            }
        }

        return outline.ToString();
    }

    [GeneratedRegex(@"^\s*(namespace\s|(public|internal|protected|private)\s[^=;]*[({]?\s*$|(public|internal|protected|private)\s[^=]*\(.*\)\s*(=>.*)?$)", RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();
}
