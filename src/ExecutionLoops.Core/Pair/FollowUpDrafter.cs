using System.Text;

namespace ExecutionLoops.Pair;

/// <summary>
/// Turns routine follow-ups found in a session into draft mission briefs (in <c>.loops/missions/drafts/</c>),
/// so toil is delegated rather than done by hand: TODOs the session added, and warnings it introduced.
/// </summary>
public static class FollowUpDrafter
{
    /// <summary>Writes the drafts and returns their paths.</summary>
    /// <param name="session">The ended session.</param>
    /// <param name="unifiedDiff">The session's diff (start to end).</param>
    /// <param name="draftsDirectory">Where drafts go.</param>
    /// <param name="misformatted">Files the session changed that do not follow the formatting rules.</param>
    public static IReadOnlyList<string> Draft(PairSession session, string unifiedDiff, string draftsDirectory, IReadOnlyList<string>? misformatted = null)
    {
        var drafts = new List<string>();
        if (misformatted is { Count: > 0 })
        {
            var body = new StringBuilder();
            body.AppendLine("---");
            body.AppendLine($"id: {session.Id}-format");
            body.AppendLine("kind: format");
            body.AppendLine("on: {manual: true}");
            body.AppendLine($"scope: {{include: [{string.Join(", ", misformatted.Select(f => $"\"{f}\""))}]}}");
            body.AppendLine($"constraints: {{max-files: {misformatted.Count}, max-lines: 500, timeout: 10m}}");
            body.AppendLine("gates: [build, format]");
            body.AppendLine("success:");
            body.AppendLine("  - The files follow .editorconfig");
            body.AppendLine("---");
            body.AppendLine($"# Format the files changed in pair session {session.Id}");
            body.AppendLine();
            body.AppendLine("Formatting is routine toil: delegate it instead of fixing it by hand during the session.");
            drafts.Add(Write(draftsDirectory, $"{session.Id}-format.md", body.ToString()));
        }

        var todos = AddedTodos(unifiedDiff);
        if (todos.Count > 0)
        {
            var body = new StringBuilder();
            body.AppendLine("---");
            body.AppendLine($"id: {session.Id}-todos");
            body.AppendLine("kind: agent");
            body.AppendLine("on: {manual: true}");
            body.AppendLine($"scope: {{include: [{string.Join(", ", todos.Select(t => t.File).Distinct().Order(StringComparer.Ordinal).Select(f => $"\"{f}\""))}]}}");
            body.AppendLine("constraints: {max-files: 10, max-lines: 300, timeout: 30m}");
            body.AppendLine("gates: [build, test, {diff: {max-lines: 300}}]");
            body.AppendLine("success:");
            body.AppendLine("  - Every TODO below is resolved or turned into an issue");
            body.AppendLine("---");
            body.AppendLine($"# Resolve the TODOs left by pair session {session.Id}");
            body.AppendLine();
            body.AppendLine($"The session \"{session.Goal}\" added these TODOs:");
            body.AppendLine();
            foreach (var (file, line) in todos)
            {
                body.AppendLine($"- `{file}`: {line}");
            }

            drafts.Add(Write(draftsDirectory, $"{session.Id}-todos.md", body.ToString()));
        }

        if (session.LastFeedback is { } feedback && session.BaselineWarnings is { } baseline && feedback.Warnings.Count > baseline)
        {
            var body = new StringBuilder();
            body.AppendLine("---");
            body.AppendLine($"id: {session.Id}-warnings");
            body.AppendLine("kind: analyze");
            body.AppendLine("on: {manual: true}");
            body.AppendLine("constraints: {max-files: 20, max-lines: 400, timeout: 30m}");
            body.AppendLine("gates: [build, test]");
            body.AppendLine("success:");
            body.AppendLine($"  - No more than {baseline} build warnings, as before the session");
            body.AppendLine("---");
            body.AppendLine($"# Fix the warnings added during pair session {session.Id}");
            body.AppendLine();
            foreach (var warning in feedback.Warnings.Take(50))
            {
                body.AppendLine($"- `{warning}`");
            }

            drafts.Add(Write(draftsDirectory, $"{session.Id}-warnings.md", body.ToString()));
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

    private static string Write(string directory, string name, string content)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
