using System.Text;
using ExecutionLoops.Gates;

namespace ExecutionLoops.Reporting;

/// <summary>The Markdown run report: missions, gates, diff stats, failures with log tails, and a Mermaid gantt of stage timings.</summary>
public static class MarkdownReportWriter
{
    /// <summary>Writes the report; the same input gives the same text.</summary>
    public static string Write(RunReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# ExecutionLoops run {report.RunId}");
        text.AppendLine();
        var counts = report.Missions.GroupBy(m => m.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Describe(g.Key)}");
        text.AppendLine($"{report.Missions.Count} mission(s): {string.Join(", ", counts)}. {(report.Resumed ? "Resumed an interrupted run. " : "")}Took {MarkdownText.Seconds(report.Finished - report.Started)}.");
        text.AppendLine();
        if (report.Missions.Count == 0)
        {
            text.AppendLine("No mission was due. Run `loops plan` to see why, or name one with `--mission`.");
            return text.ToString();
        }

        text.AppendLine("| mission | kind | outcome | change | review item |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var mission in report.Missions)
        {
            var change = mission.Diff.Files == 0 ? "–" : $"+{mission.Diff.Insertions} −{mission.Diff.Deletions} in {mission.Diff.Files} file(s)";
            text.AppendLine($"| {MarkdownText.Cell(mission.MissionId)} | {mission.Kind} | {Icon(mission.Outcome)} {Describe(mission.Outcome)} | {change} | {MarkdownText.Cell(mission.ReviewItemId ?? "–")} |");
        }

        MissionList(text, "Toil", report.Missions, m => m.Toil);
        MissionList(text, "Sandbox", report.Missions, m => m.Sandbox);

        var gates = report.Missions.SelectMany(m => m.Gates.Select(g => ((string?)m.MissionId, g))).ToList();
        if (gates.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Gates");
            text.AppendLine();
            foreach (var line in MarkdownText.GateTable(gates))
            {
                text.AppendLine(line);
            }
        }

        var failures = report.Missions.Where(m => m.Failed).ToList();
        if (failures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Failures");
            foreach (var mission in failures)
            {
                text.AppendLine();
                text.AppendLine($"### {mission.MissionId}");
                text.AppendLine();
                text.AppendLine(mission.Message);
                foreach (var diagnostic in mission.Diagnostics)
                {
                    text.AppendLine($"- `{diagnostic}`");
                }

                foreach (var gate in mission.Gates.Where(g => g.Status == GateStatus.Failed && g.LogTail.Length > 0))
                {
                    Details(text, $"{gate.Name} log (last lines)", gate.LogTail);
                }

                if (mission.LogTail is { Length: > 0 } tail)
                {
                    Details(text, "toil log (last lines)", tail);
                }
            }
        }

        if (report.Missions.Any(m => m.Stages.Count > 0))
        {
            text.AppendLine();
            text.AppendLine("## Timeline");
            text.AppendLine();
            text.Append(MermaidGantt.Write($"Run {report.RunId}", report.Missions.Select(m => (m.MissionId, m.Stages))));
        }

        return text.ToString();
    }

    /// <summary>A word for an outcome.</summary>
    public static string Describe(MissionOutcome outcome) => outcome switch
    {
        MissionOutcome.Published => "published",
        MissionOutcome.NoChanges => "no changes",
        MissionOutcome.GateFailed => "gate failed",
        MissionOutcome.ToilFailed => "toil failed",
        MissionOutcome.DryRun => "dry run",
        _ => "error",
    };

    /// <summary>An icon for an outcome.</summary>
    public static string Icon(MissionOutcome outcome) => outcome switch
    {
        MissionOutcome.Published => "✓",
        MissionOutcome.NoChanges or MissionOutcome.DryRun => "–",
        _ => "✗",
    };

    private static void Details(StringBuilder text, string summary, string log)
    {
        text.AppendLine();
        text.AppendLine($"<details><summary>{summary}</summary>");
        text.AppendLine();
        text.AppendLine("```text");
        text.AppendLine(log.Replace("```", "`\u200b``", StringComparison.Ordinal));
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("</details>");
    }

    /// <summary>A section listing one line per mission that has <paramref name="line"/> (none when no mission has one).</summary>
    private static void MissionList(StringBuilder text, string title, IEnumerable<MissionReport> missions, Func<MissionReport, string?> line)
    {
        var listed = missions.Where(m => line(m) is { Length: > 0 }).ToList();
        if (listed.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine($"## {title}");
        text.AppendLine();
        foreach (var mission in listed)
        {
            text.AppendLine($"- **{MarkdownText.Cell(mission.MissionId)}**: {MarkdownText.Cell(line(mission))}");
        }
    }
}
