using System.CommandLine;
using ExecutionLoops.Briefs;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops delegate</c>: runs the due missions in their own worktrees behind their gates and publishes review items.</summary>
internal static class DelegateCommand
{
    public static Option<bool> DryRun { get; } = new("--dry-run") { Description = "Show what would run; create no worktree, commit or review item." };

    public static Option<string> Report { get; } = new("--report") { Description = "Also write the run report to this file (Markdown, or JSON when it ends in .json)." };

    public static Option<string> Wait { get; } = new("--wait") { Description = "When another run holds the repository lock, wait this long for it (e.g. 10m) instead of failing." };

    public static Command Create(CliContext context)
    {
        var selection = new MissionSelection();
        var json = GlobalOptions.Json("the run report");
        var command = new Command("delegate", "Run each due mission in its own git worktree on loops/<id>: toil, gates, commit, then publish a review item. Finishes an interrupted run first.") { DryRun, Report, json, Wait };
        selection.AddTo(command);
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            RunOutput.MaskSecrets(context);
            var observer = new ConsoleRunObserver(context, engine.Clock);
            var options = new DelegationOptions(parse.GetValue(DryRun), LockWait(parse));
            var report = await observer.ShowAsync(() => engine.DelegateAsync(selection.Read(parse), options, observer, cancellationToken));
            return Finish(context, engine, report, parse, json);
        });
        return command;
    }

    public static TimeSpan LockWait(ParseResult parse)
    {
        var text = parse.GetValue(Wait);
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        return DurationParser.TryParse(text, out var wait) ? wait : throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"--wait '{text}' is not a duration.", DurationParser.Examples);
    }

    public static int Finish(CliContext context, LoopsEngine engine, RunReport report, ParseResult parse, Option<bool> json)
    {
        var reportPath = RunOutput.WriteReports(engine, report, parse.GetValue(Report), context);

        // Notification trouble is a warning on stderr (and a CI annotation); it never changes the exit code.
        DiagnosticPrinter.Print(context.Err, report.Warnings, context.Host);
        RunOutput.PublishToHost(context, report);
        if (parse.GetValue(json))
        {
            context.Output.WriteLine(JsonReportWriter.Write(report));
        }
        else
        {
            RunOutput.PrintSummary(context, report);
            if (reportPath is not null)
            {
                context.Output.WriteLine($"Report: {reportPath}");
            }
        }

        return report.ExitCode;
    }
}
