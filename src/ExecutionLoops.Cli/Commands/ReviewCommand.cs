using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Briefs;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Planning;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops review list|show|diff|approve|reject|comment</c>: the local review queue.</summary>
internal static class ReviewCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("review", "Work the local review queue: list, show, diff, approve (merge into the base branch), reject with feedback for the mission's next run, or comment (feedback or a /loops command for 'loops feedback').");
        command.Add(List(context));
        command.Add(Show(context));
        command.Add(Diff(context));
        command.Add(Approve(context));
        command.Add(Reject(context));
        command.Add(Comment(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var all = new Option<bool>("--all") { Description = "Include merged and closed items." };
        var json = GlobalOptions.Json("the items");
        var command = new Command("list", "List review items, newest first.") { all, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var queue = await OpenAsync(context, parse, cancellationToken);
            var items = await queue.ListAsync(parse.GetValue(all), cancellationToken);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(items, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            Print(context, items);
            return ExitCodes.Success;
        });
        return command;
    }

    public static void Print(CliContext context, IReadOnlyList<LocalReviewRecord> items)
    {
        if (items.Count == 0)
        {
            context.Output.WriteLine("The review queue is empty.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("item", "state", "title", "gates", "change", "rev");
        foreach (var item in items)
        {
            var state = Words.Of(item.State) + (item.Draft ? " (draft)" : "");
            var gates = string.Join(" ", item.Gates.Select(g => $"{g.Name} {MarkdownText.Mark(g.Status)}"));
            table.AddRow(Markup.Escape(item.Id), state, Markup.Escape(item.Title), Markup.Escape(gates), $"+{item.Diff.Insertions} −{item.Diff.Deletions} in {item.Diff.Files}", item.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        context.Out.Write(table);
    }

    private static Command Show(CliContext context)
    {
        var id = Id();
        var json = GlobalOptions.Json("the item");
        var command = new Command("show", "Show a review item: state, branch, body and feedback.") { id, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var queue = await OpenAsync(context, parse, cancellationToken);
            var item = await queue.GetAsync(parse.GetValue(id)!, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(item, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            context.Output.WriteLine($"{item.Id}: {item.Title}");
            context.Output.WriteLine($"state:  {Words.Of(item.State)}{(item.Draft ? " (draft)" : "")}, revision {item.Revision}");
            context.Output.WriteLine($"branch: {item.Branch} ({item.HeadCommit[..7]}) → {item.BaseBranch ?? "(detached base)"} ({item.BaseCommit[..7]})");
            context.Output.WriteLine();
            context.Output.WriteLine(item.Body);
            foreach (var feedback in item.Feedback)
            {
                context.Output.WriteLine($"feedback (revision {feedback.Revision}, {(feedback.Addressed ? "addressed" : "pending")}) from {feedback.Author}: {feedback.Text}");
                if (feedback.Reply is { } reply)
                {
                    context.Output.WriteLine($"  loops: {reply}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Diff(CliContext context)
    {
        var id = Id();
        var command = new Command("diff", "Print the item's change as a unified diff.") { id };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var queue = await OpenAsync(context, parse, cancellationToken);
            context.Output.Write(await queue.DiffAsync(parse.GetValue(id)!, cancellationToken));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Approve(CliContext context)
    {
        var id = Id();
        var force = new Option<bool>("--force") { Description = "Merge a draft whose gates failed (they are listed first)." };
        var command = new Command("approve", "Merge the item into its base branch; refuses on conflicts, when your uncommitted changes touch the same files, while a run is in flight, and for a draft with failed gates unless --force.") { id, force };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);

            var queue = Queue(engine);
            MissionBrief? rebase = null;

            // A run in flight would otherwise open a second item from the pre-merge base: approve waits for nobody.
            using (await RunLock.AcquireAsync(engine.Workspace.State, "loops review approve", TimeSpan.Zero, engine.Clock, cancellationToken))
            {
                try
                {
                    var item = await queue.ApproveAsync(parse.GetValue(id)!, parse.GetValue(force), cancellationToken);
                    context.Output.WriteLine($"Merged {item.Branch} into {item.BaseBranch}.");
                    return ExitCodes.Success;
                }
                catch (LoopsException ex) when (ex.Diagnostics.Any(d => d.Code == DiagnosticCodes.MergeConflict))
                {
                    rebase = await RegeneratingMissionAsync(engine, queue, parse.GetValue(id)!, cancellationToken);
                    if (rebase is null)
                    {
                        throw;
                    }
                }
            }

            return await RebaseAsync(context, engine, queue, rebase, cancellationToken);
        });
        return command;
    }

    /// <summary>The mission of an item when its kind makes the same change again on a newer base (dependency bumps).</summary>
    private static async Task<MissionBrief?> RegeneratingMissionAsync(LoopsEngine engine, LocalReviewQueue queue, string id, CancellationToken cancellationToken)
    {
        var record = await queue.GetAsync(id, cancellationToken);
        var brief = engine.LoadCatalog().Briefs.FirstOrDefault(b => b.Id == record.MissionId);
        return brief is not null && engine.Registry.FindToil(brief.Kind)?.RegeneratesOnNewBase == true ? brief : null;
    }

    /// <summary>
    /// The base moved and the item no longer merges: run its mission again on the new base (Renovate's rebase). The run
    /// regenerates the change, re-runs the gates and updates the same branch and item; the reviewer approves that.
    /// </summary>
    private static async Task<int> RebaseAsync(CliContext context, LoopsEngine engine, LocalReviewQueue queue, MissionBrief brief, CancellationToken cancellationToken)
    {
        context.Output.WriteLine($"The base moved and {brief.Id}'s change no longer applies: running the mission again on the new base (rebase).");
        RunOutput.MaskSecrets(context);
        var observer = new ConsoleRunObserver(context, engine.Clock);
        var report = await observer.ShowAsync(() => engine.DelegateAsync(new PlanRequest([brief.Id], All: false), new DelegationOptions(), observer, cancellationToken));
        var mission = report.Missions.FirstOrDefault(m => m.MissionId == brief.Id);
        if (mission is null || mission.Outcome is not (MissionOutcome.Published or MissionOutcome.NoChanges))
        {
            RunOutput.PrintSummary(context, report);
            return ExitCodes.MissionFailed;
        }

        var record = await queue.GetAsync(brief.Id, cancellationToken);
        if (mission.Outcome == MissionOutcome.NoChanges)
        {
            await queue.CloseAsync(record.Id, cancellationToken);
            context.Output.WriteLine($"On the new base {brief.Id} has nothing left to change: {record.Id} is closed.");
            return ExitCodes.Success;
        }

        context.Output.WriteLine($"Rebased {record.Id} onto {record.BaseBranch} at {record.BaseCommit[..7]} (revision {record.Revision}, gates run again): review it and approve again with 'loops review approve {record.Id}'.");
        return ExitCodes.Success;
    }

    private static Command Reject(CliContext context)
    {
        var id = Id();
        var feedback = new Option<string>("--feedback", "-f") { Description = "What to change; the mission's next run receives it.", Required = true };
        var author = Author();
        var command = new Command("reject", "Request changes with feedback; the next run of the mission addresses it and updates this item.") { id, feedback, author };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var queue = Queue(engine);
            var who = parse.GetValue(author) ?? await AuthorAsync(engine, cancellationToken);
            var item = await queue.RejectAsync(parse.GetValue(id)!, parse.GetValue(feedback)!, who, cancellationToken);
            context.Output.WriteLine($"Changes requested on {item.Id}. Run 'loops delegate --mission {item.MissionId}' to address the feedback.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Comment(CliContext context)
    {
        var id = Id();
        var text = new Argument<string>("text") { Description = "The comment: feedback for the mission's next run, or a /loops command (rerun, rebase, feedback <text>, close, ready, draft)." };
        var author = Author();
        var command = new Command("comment", "Comment on an item without changing its state; 'loops feedback --item ID' acts on the comments since the last publish, and the next run receives the feedback.") { id, text, author };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var who = parse.GetValue(author) ?? await AuthorAsync(engine, cancellationToken);
            var item = await Queue(engine).CommentAsync(parse.GetValue(id)!, parse.GetValue(text)!, who, cancellationToken);
            context.Output.WriteLine($"Commented on {item.Id}. Run 'loops feedback --item {item.Id}' to act on it.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string> Author() => new("--author") { Description = "Who gives the feedback (default: git user.name, else $USER)." };

    private static Argument<string> Id() => new("id") { Description = "The review item id (see 'loops review list')." };

    private static async Task<LocalReviewQueue> OpenAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken) =>
        Queue(await CliEngine.OpenAsync(context, parse, cancellationToken));

    private static LocalReviewQueue Queue(LoopsEngine engine) =>
        engine.Workspace.Config.ReviewTarget == "local"
            ? new LocalReviewQueue(engine.Workspace.Git, engine.Workspace.State.Reviews, engine.Clock)
            : throw LoopsException.InvalidInput(DiagnosticCodes.UnknownReviewTarget, $"This repository publishes to '{engine.Workspace.Config.ReviewTarget}', not the local review queue.", "Review the items where they are published.");

    private static async Task<string> AuthorAsync(LoopsEngine engine, CancellationToken cancellationToken)
    {
        var name = await engine.Workspace.Git.RunAsync(["config", "user.name"], null, cancellationToken);
        return name.Succeeded && name.StandardOutput.Trim().Length > 0 ? name.StandardOutput.Trim() : Environment.UserName;
    }
}
