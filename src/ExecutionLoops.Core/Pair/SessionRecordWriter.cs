using System.Text;
using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>The written record of a pair session (knowledge capture): goal, criteria met or not, time, checkpoints, notes, change.</summary>
internal static class SessionRecordWriter
{
    /// <summary>Writes the record.</summary>
    public static string Write(PairSession session, IReadOnlyList<CriterionResult> criteria, IReadOnlyList<FileChange> changes)
    {
        var ended = session.Ended ?? session.Started;
        var used = ended - session.Started;
        var text = new StringBuilder();
        text.AppendLine($"# Pair session: {session.Goal}");
        text.AppendLine();
        text.AppendLine($"- Session `{session.Id}`, {session.Started:yyyy-MM-dd HH:mm}Z – {ended:HH:mm}Z");
        text.AppendLine($"- Time used: {DurationParser.Format(TimeSpan.FromSeconds(Math.Max(1, Math.Round(used.TotalSeconds))))}{(session.Timebox is { } box ? $" of a {DurationParser.Format(box)} time box{(used > box ? " (over)" : "")}" : " (no time box)")}");
        if (session.BriefId is not null)
        {
            text.AppendLine($"- Brief: `{session.BriefId}`");
        }

        text.AppendLine();
        text.AppendLine("## Success criteria");
        text.AppendLine();
        foreach (var criterion in criteria)
        {
            var met = criterion.Status switch { CriterionStatus.Met => "met", CriterionStatus.NotMet => "not met", CriterionStatus.Unknown => "unknown", _ => "to check by hand" };
            text.AppendLine($"- {PairDashboard.Mark(criterion.Status)} {criterion.Criterion}: {met} ({criterion.Detail})");
        }

        text.AppendLine();
        text.AppendLine("## Checkpoints");
        text.AppendLine();
        text.AppendLine("| # | time | label | green | ref |");
        text.AppendLine("|---:|---|---|:---:|---|");
        foreach (var checkpoint in session.Checkpoints)
        {
            var green = checkpoint.Green switch { true => "✓", false => "✗", _ => "–" };
            text.AppendLine($"| {checkpoint.Number} | {checkpoint.At:HH:mm:ss} | {checkpoint.Label} | {green} | `{session.RefFor(checkpoint.Number)}` |");
        }

        text.AppendLine();
        text.AppendLine("## Decisions and notes");
        text.AppendLine();
        foreach (var note in session.Notes)
        {
            text.AppendLine($"- {note.At:HH:mm}Z {note.Text}");
        }

        if (session.Notes.Count == 0)
        {
            text.AppendLine("- (none)");
        }

        text.AppendLine();
        text.AppendLine("## Change");
        text.AppendLine();
        text.AppendLine($"{changes.Count} file(s), +{changes.Sum(c => c.Insertions)} −{changes.Sum(c => c.Deletions)}:");
        text.AppendLine();
        foreach (var change in changes.OrderBy(c => c.Path, StringComparer.Ordinal))
        {
            text.AppendLine($"- `{change.Path}` +{change.Insertions} −{change.Deletions}");
        }

        return text.ToString();
    }
}
