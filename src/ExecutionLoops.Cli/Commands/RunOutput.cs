using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary>What delegate, resume and demo print and write once a run is over.</summary>
internal static class RunOutput
{
    /// <summary>Writes report.md and report.json into the run's state folder (and <paramref name="extraReport"/> when given); returns the Markdown path.</summary>
    public static string? WriteReports(LoopsEngine engine, RunReport report, string? extraReport, CliContext context)
    {
        string? markdownPath = null;
        if (!report.DryRun)
        {
            var folder = Path.Combine(engine.Workspace.State.Runs, report.RunId);
            try
            {
                Directory.CreateDirectory(folder);
                markdownPath = Path.Combine(folder, "report.md");
                File.WriteAllText(markdownPath, Masked(MarkdownReportWriter.Write(report)));
                File.WriteAllText(Path.Combine(folder, "report.json"), Masked(JsonReportWriter.Write(report)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw LoopsException.Infrastructure(DiagnosticCodes.StateUnwritable, $"Cannot write the run report in '{folder}': {ex.Message}", "Make the state folder (.loops/state, or state-dir in .loops/config.yml) writable for the user running loops.");
            }
        }

        if (extraReport is not null)
        {
            var path = Path.GetFullPath(Path.Combine(context.WorkingDirectory, extraReport));
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, Masked(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonReportWriter.Write(report) : MarkdownReportWriter.Write(report)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw LoopsException.Infrastructure(DiagnosticCodes.StateUnwritable, $"Cannot write the report to '{path}': {ex.Message}", "Pass a --report path in a writable folder.");
            }

            markdownPath ??= path;
        }

        return markdownPath;
    }

    /// <summary>Asks the CI host to mask every secret of the environment before anything runs.</summary>
    public static void MaskSecrets(CliContext context)
    {
        foreach (var secret in ExecutionLoops.Security.SecretMasker.Process.Secrets)
        {
            context.Host.Mask(secret);
        }
    }

    /// <summary>The job summary and step outputs of a run (on CI hosts).</summary>
    public static void PublishToHost(CliContext context, RunReport report)
    {
        context.Host.Summary(Masked(MarkdownReportWriter.Write(report)));
        context.Host.Output("result", Masked(System.Text.Json.JsonSerializer.Serialize(report, LoopsJson.Compact)));
        context.Host.Output("review-items", string.Join(",", report.Missions.Where(m => m.ReviewItemId is not null).Select(m => m.ReviewItemId)));
    }

    private static string Masked(string text) => ExecutionLoops.Security.SecretMasker.Process.Mask(text);

    /// <summary>A summary table of the missions.</summary>
    public static void PrintSummary(CliContext context, RunReport report)
    {
        if (report.Missions.Count == 0)
        {
            context.Output.WriteLine("No mission was due. Run 'loops plan' to see why, or name one with --mission.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("mission", "outcome", "gates", "change", "review item");
        foreach (var mission in report.Missions)
        {
            var outcome = $"{(mission.Failed ? "[red]" : "[green]")}{MarkdownReportWriter.Icon(mission.Outcome)}[/] {MarkdownReportWriter.Describe(mission.Outcome)}";
            var gates = mission.Gates.Count == 0 ? "–" : string.Join(" ", mission.Gates.Select(g => $"{g.Name} {MarkdownText.Mark(g.Status)}"));
            var change = mission.Diff.Files == 0 ? "–" : $"+{mission.Diff.Insertions} −{mission.Diff.Deletions} in {mission.Diff.Files} file(s)";
            table.AddRow(Markup.Escape(mission.MissionId), outcome, Markup.Escape(gates), change, Markup.Escape(mission.ReviewItemId ?? "–"));
        }

        context.Out.Write(table);
        foreach (var mission in report.Missions.Where(m => m.Failed))
        {
            context.Output.WriteLine($"{mission.MissionId}: {mission.Message}");
            foreach (var diagnostic in mission.Diagnostics.Take(10))
            {
                context.Output.WriteLine($"  {diagnostic}");
            }

            // What failed, right here: the end of the failing output, and where the whole log is.
            var tail = mission.LogTail is { Length: > 0 } toilTail ? toilTail : mission.Gates.FirstOrDefault(g => g.BlocksMission && g.LogTail.Length > 0)?.LogTail;
            if (tail is not null)
            {
                context.Output.WriteLine("  last lines of output:");
                foreach (var line in tail.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(12))
                {
                    context.Output.WriteLine($"  | {line}");
                }
            }

            if (mission.LogPath is { } log && File.Exists(log))
            {
                context.Output.WriteLine($"  full log: {log}");
            }
        }

        if (report.Resumed)
        {
            context.Output.WriteLine($"Resumed and finished the interrupted run {report.RunId}. Run 'loops delegate' again for missions due since.");
        }
    }
}
