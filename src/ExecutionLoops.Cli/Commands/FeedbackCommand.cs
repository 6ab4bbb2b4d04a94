using System.CommandLine;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Planning;
using ExecutionLoops.Review;

namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// <c>loops feedback --item ID</c> (or <c>--pr N</c>): reviewers' comments and <c>/loops</c> commands on a mission's
/// review item go back to the mission, which runs again on the same branch and answers the comments it addressed.
/// It works through the configured target's <see cref="IReviewConversation"/> alone, whatever the target.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create(CliContext context)
    {
        var item = new Option<string>("--item", "--pr") { Description = "The review item: a pull request number (github) or an item or mission id (local).", Required = true };
        var json = GlobalOptions.Json("the run report");
        var command = new Command("feedback", "Act on review comments and /loops commands (rerun, rebase, feedback <text>, close, ready, draft) made on a mission's review item since loops last published it; only trusted authors are heard.") { item, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var conversation = engine.OpenReviewConversation();
            RunOutput.MaskSecrets(context);
            var round = await conversation.ReadFeedbackAsync(parse.GetValue(item)!, cancellationToken);
            foreach (var ignored in round.Ignored)
            {
                var association = ignored.Association is { } known ? $" ({known})" : "";
                context.Error.WriteLine($"ignored comment {ignored.Id} by {ignored.Author}{association}: not a trusted author or not a known command");
            }

            if (round.FromFork)
            {
                context.Host.Annotate(Diagnostic.Warning(DiagnosticCodes.PublishFailed, $"{Capitalised(round.ItemName)} comes from a fork; loops never acts on it with this repository's secrets."));
                context.Error.WriteLine($"{Capitalised(round.ItemName)} comes from a fork: nothing done.");
                return ExitCodes.Success;
            }

            if (round.Commands.Contains(LoopsCommand.Close))
            {
                await conversation.CloseAsync(round.ItemId, cancellationToken);
                context.Output.WriteLine($"Closed {round.ItemName} (/loops close).");
                return ExitCodes.Success;
            }

            if (round.RequestedDraft is { } draft)
            {
                await conversation.SetDraftAsync(round.ItemId, draft, cancellationToken);
                context.Output.WriteLine(draft ? $"Marked {round.ItemName} as a draft (/loops draft)." : $"Marked {round.ItemName} ready for review (/loops ready).");
            }

            if (!round.AsksForARun)
            {
                // Missions a trusted person ticked on the mission dashboard run now: a feedback run is one of "the next runs".
                if (await engine.DashboardRequestsAsync(cancellationToken) is { Count: > 0 } asked)
                {
                    var dashboardObserver = new ConsoleRunObserver(context, engine.Clock);
                    var dashboardRun = await dashboardObserver.ShowAsync(() => engine.DelegateAsync(new PlanRequest(asked, false), new DelegationOptions(), dashboardObserver, cancellationToken));
                    return DelegateCommand.Finish(context, engine, dashboardRun, parse, json);
                }

                if (round.RequestedDraft is null)
                {
                    context.Output.WriteLine($"Nothing to do on {round.ItemName}: no trusted feedback or command since the last publish.");
                }

                // No run, but still the moment to remind reviewers of items that wait too long (notify: stale-review).
                DiagnosticPrinter.Print(context.Err, await engine.NotifyAsync(null, engine.LoadCatalog().Briefs, cancellationToken), context.Host);

                return ExitCodes.Success;
            }

            var observer = new ConsoleRunObserver(context, engine.Clock);
            var report = await observer.ShowAsync(() => engine.DelegateAsync(new PlanRequest([round.MissionId], false), new DelegationOptions(), observer, cancellationToken));
            if (report.Missions.FirstOrDefault(m => m.MissionId == round.MissionId) is { Commit: { } commit, Failed: false } && round.Addressed.Count > 0)
            {
                await conversation.ReplyAsync(round, commit, cancellationToken);
            }

            return DelegateCommand.Finish(context, engine, report, parse, json);
        });
        return command;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
