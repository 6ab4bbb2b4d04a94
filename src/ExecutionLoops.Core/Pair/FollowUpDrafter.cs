using System.Text;

namespace ExecutionLoops.Pair;

/// <summary>
/// Turns routine follow-ups found in a session into draft mission briefs (in <c>.loops/missions/drafts/</c>),
/// so toil is delegated rather than done by hand: files left misformatted, TODOs the session added, and
/// warnings it introduced.
/// </summary>
internal static partial class FollowUpDrafter
{
    /// <summary>Writes the drafts and returns their paths.</summary>
    /// <param name="session">The ended session.</param>
    /// <param name="unifiedDiff">The session's diff (start to end).</param>
    /// <param name="draftsDirectory">Where drafts go.</param>
    /// <param name="misformatted">Files the session changed that do not follow the formatting rules.</param>
    /// <param name="agentConfigured">True when the config names an agent; otherwise agent drafts name one themselves, so every draft lints clean.</param>
    public static IReadOnlyList<string> Draft(PairSession session, string unifiedDiff, string draftsDirectory, IReadOnlyList<string>? misformatted = null, bool agentConfigured = false)
    {
        var drafts = new List<string>();
        if (misformatted is { Count: > 0 })
        {
            drafts.Add(Write(draftsDirectory, new DraftBrief(
                $"{session.Id}-format",
                "format",
                misformatted,
                $"{{max-files: {misformatted.Count}, max-lines: 500, timeout: 10m}}",
                "[build, format]",
                "The files follow .editorconfig",
                $"Format the files changed in pair session {session.Id}",
                ["Formatting is routine toil: delegate it instead of fixing it by hand during the session."])));
        }

        var todos = AddedTodos(unifiedDiff);
        if (todos.Count > 0)
        {
            drafts.Add(Write(draftsDirectory, new DraftBrief(
                $"{session.Id}-todos",
                "agent",
                todos.Select(t => t.File).Distinct().Order(StringComparer.Ordinal).ToList(),
                "{max-files: 10, max-lines: 300, timeout: 30m}",
                "[build, test, {diff: {max-lines: 300}}]",
                "Every TODO below is resolved or turned into an issue",
                $"Resolve the TODOs left by pair session {session.Id}",
                [$"The session \"{session.Goal}\" added these TODOs:", "", .. todos.Select(t => $"- `{t.File}`: {t.Line}")])
            {
                Extra = agentConfigured ? null : "agent: {preset: claude}   # no agent in .loops/config.yml: choose the one that resolves these",
            }));
        }

        if (session.LastFeedback is { } feedback && session.BaselineWarnings is { } baseline && feedback.Warnings.Count > baseline
            && feedback.Warnings.Select(w => RuleId().Match(w.Message)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList() is { Count: > 0 } rules)
        {
            drafts.Add(Write(draftsDirectory, new DraftBrief(
                $"{session.Id}-warnings",
                "analyze",
                null,
                "{max-files: 20, max-lines: 400, timeout: 30m}",
                "[build, test]",
                $"No more than {baseline} build warnings, as before the session",
                $"Fix the warnings added during pair session {session.Id}",
                feedback.Warnings.Take(50).Select(w => $"- `{w}`").ToList())
            {
                Extra = $"analyze: {{diagnostics: [{string.Join(", ", rules)}]}}",
            }));
        }

        return drafts;
    }

    private static List<(string File, string Line)> AddedTodos(string diff)
    {
        var todos = new List<(string, string)>();
        var file = "";
        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("+++ b/", StringComparison.Ordinal))
            {
                file = line[6..].Trim();
            }
            else if (line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal) && (line.Contains("TODO", StringComparison.Ordinal) || line.Contains("FIXME", StringComparison.Ordinal)))
            {
                todos.Add((file, line[1..].Trim()));
            }
        }

        return todos;
    }

    private static string Write(string directory, DraftBrief brief)
    {
        var text = new StringBuilder();
        text.AppendLine("---");
        text.AppendLine($"id: {brief.Id}");
        text.AppendLine($"kind: {brief.Kind}");
        text.AppendLine("on: {manual: true}");
        if (brief.Scope is { Count: > 0 } scope)
        {
            text.AppendLine($"scope: {{include: [{string.Join(", ", scope.Select(f => $"\"{f}\""))}]}}");
        }

        text.AppendLine($"constraints: {brief.Constraints}");
        if (brief.Extra is { } extra)
        {
            text.AppendLine(extra);
        }

        text.AppendLine($"gates: {brief.Gates}");
        text.AppendLine("success:");
        text.AppendLine($"  - {brief.Success}");
        text.AppendLine("---");
        text.AppendLine($"# {brief.Title}");
        text.AppendLine();
        foreach (var line in brief.Body)
        {
            text.AppendLine(line);
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{brief.Id}.md");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private sealed record DraftBrief(string Id, string Kind, IReadOnlyList<string>? Scope, string Constraints, string Gates, string Success, string Title, IReadOnlyList<string> Body)
    {
        /// <summary>A kind's own settings line (analyze: …, agent: …), or null.</summary>
        public string? Extra { get; init; }
    }

    // "CS0168: The variable 'x' is declared but never used" → CS0168
    [System.Text.RegularExpressions.GeneratedRegex(@"^([A-Z]{2,}\d{3,}):", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RuleId();
}
