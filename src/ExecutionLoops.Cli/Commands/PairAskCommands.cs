using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Pair;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops pair ask|accept|reject</c>: pose a question, review the proposed diff, accept it or ask again with feedback.</summary>
internal static class PairAskCommands
{
    public static IEnumerable<Command> Create(CliContext context, Option<string> session)
    {
        var question = new Argument<string>("question") { Description = "What you want from the assistant, e.g. \"extract the parsing into its own class\"." };
        var json = GlobalOptions.Json("the proposal");
        var ask = new Command("ask", "Send the context pack and a question to the configured agent (agent: in .loops/config.yml). It works on a scratch copy of your files; the proposal is shown as a diff and nothing of yours changes until you accept.") { question, session, json };
        CommandAction.Set(ask, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var proposal = await context.Err.Status().StartAsync("Asking the assistant…", _ => engine.PairAssistant.AskAsync(parse.GetValue(session), parse.GetValue(question) ?? "", cancellationToken));
            Show(context, proposal, parse.GetValue(json));
            return ExitCodes.Success;
        });

        var acceptJson = GlobalOptions.Json("the accepted proposal");
        var accept = new Command("accept", "Apply the pending proposal to your working tree, after a checkpoint of the present (rewind undoes it).") { session, acceptJson };
        CommandAction.Set(accept, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var proposal = await engine.PairAssistant.AcceptAsync(parse.GetValue(session), cancellationToken);
            if (parse.GetValue(acceptJson))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { accepted = true, files = proposal.Files }, LoopsJson.Indented));
            }
            else
            {
                context.Output.WriteLine($"Applied {proposal.Files.Count} file(s): {string.Join(", ", proposal.Files)}. 'loops pair rewind' undoes it.");
            }

            return ExitCodes.Success;
        });

        var feedback = new Option<string>("--feedback") { Description = "What to change in the proposal.", Required = true };
        var rejectJson = GlobalOptions.Json("the new proposal");
        var reject = new Command("reject", "Reject the pending proposal and ask again with your feedback and the rejected diff; shows the new proposal.") { feedback, session, rejectJson };
        CommandAction.Set(reject, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var proposal = await context.Err.Status().StartAsync("Asking again with your feedback…", _ => engine.PairAssistant.RejectAsync(parse.GetValue(session), parse.GetValue(feedback) ?? "", cancellationToken));
            Show(context, proposal, parse.GetValue(rejectJson));
            return ExitCodes.Success;
        });

        return [ask, accept, reject];
    }

    private static void Show(CliContext context, PairProposal proposal, bool json)
    {
        if (json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new { question = proposal.Question, round = proposal.Round, files = proposal.Files, summary = proposal.Summary, usage = proposal.Usage, checkpoint = proposal.Checkpoint, patch = proposal.Patch }, LoopsJson.Indented));
            return;
        }

        context.Out.MarkupLine($"[bold]Proposal {proposal.Round}[/] for: {Markup.Escape(proposal.Question)}");
        context.Out.MarkupLine($"[grey]{Markup.Escape(proposal.Summary)} ({Markup.Escape(proposal.Usage)})[/]");
        foreach (var line in proposal.Patch.Split('\n'))
        {
            var style = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold" : line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan" : "default";
            context.Out.MarkupLine($"[{style}]{Markup.Escape(line)}[/]");
        }

        context.Output.WriteLine(proposal.Files.Count == 0 ? "The assistant proposed no change." : $"{proposal.Files.Count} file(s). Nothing is applied yet: 'loops pair accept', or 'loops pair reject --feedback \"…\"'.");
    }
}
