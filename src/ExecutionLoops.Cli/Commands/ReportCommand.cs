using System.CommandLine;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops report merge</c>: one report from the per-job reports of a matrix run.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("report", "Work with run reports.");
        var files = new Argument<string[]>("reports") { Description = "report.json files (or folders holding them) from the matrix jobs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Write the merged report here (Markdown, or JSON when it ends in .json); default: stdout." };
        var merge = new Command("merge", "Combine the JSON reports of several runs (one per matrix job) into one report and job summary.") { files, output };
        CommandAction.Set(merge, context, async (parse, cancellationToken) =>
        {
            var reports = new List<RunReport>();
            foreach (var path in Expand(context, parse.GetValue(files) ?? []))
            {
                try
                {
                    reports.Add(JsonReportWriter.Read(File.ReadAllText(path)) ?? throw new System.Text.Json.JsonException("empty document"));
                }
                catch (System.Text.Json.JsonException ex)
                {
                    throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"'{path}' is not a loops JSON report: {ex.Message}", "Pass the report.json files that 'loops delegate' writes (or its --report x.json).", path);
                }
            }

            var merged = new RunReport
            {
                RunId = reports.Count == 1 ? reports[0].RunId : $"merged-{reports.Count}",
                Repository = reports[0].Repository,
                Started = reports.Min(r => r.Started),
                Finished = reports.Max(r => r.Finished),
                Missions = reports.OrderBy(r => r.Started).SelectMany(r => r.Missions).ToList(),
            };
            await AddToHistoryAsync(context, parse, reports, cancellationToken);
            var markdown = MarkdownReportWriter.Write(merged);
            context.Host.Summary(markdown);
            if (parse.GetValue(output) is { } target)
            {
                var path = Path.GetFullPath(Path.Combine(context.WorkingDirectory, target));
                File.WriteAllText(path, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonReportWriter.Write(merged) : markdown);
                context.Error.WriteLine($"Merged {reports.Count} report(s) into {path}");
            }
            else
            {
                context.Output.Write(markdown);
            }

            return merged.ExitCode;
        });
        command.Add(merge);
        return command;
    }

    /// <summary>
    /// Feeds the merged jobs' missions into the run history of the repository the merge runs in (CI: the job that
    /// merges has the repository checked out). Outside a repository there is no history to feed: the merge goes on.
    /// </summary>
    private static async Task AddToHistoryAsync(CliContext context, ParseResult parse, IReadOnlyList<RunReport> reports, CancellationToken cancellationToken)
    {
        LoopsEngine engine;
        try
        {
            engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
        }
        catch (LoopsException)
        {
            return;
        }

        var added = engine.Monitor.AddReports(reports);
        context.Error.WriteLine($"Run history: {added} mission run(s) added from the reports ({engine.Monitor.HistoryPath}).");
    }

    private static IEnumerable<string> Expand(CliContext context, IEnumerable<string> inputs)
    {
        var found = false;
        foreach (var input in inputs)
        {
            var path = Path.GetFullPath(Path.Combine(context.WorkingDirectory, input));
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    found = true;
                    yield return file;
                }
            }
            else if (File.Exists(path))
            {
                found = true;
                yield return path;
            }
            else
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"'{input}' does not exist.", "Pass report.json files or folders that hold them.");
            }
        }

        if (!found)
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, "No JSON reports found.", "Pass report.json files or folders that hold them.");
        }
    }
}
