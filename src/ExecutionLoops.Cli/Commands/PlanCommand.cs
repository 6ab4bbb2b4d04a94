using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Diagnostics;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops plan</c>: which missions are due, and why.</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var selection = new MissionSelection();
        var json = GlobalOptions.Json("the plan");
        // The machine shapes come from the registered hosts (github-matrix, azure-matrix, …), not from this command.
        var formats = context.Extensions.PlanFormats;
        var format = new Option<string>("--format") { Description = $"table (default), json, or {string.Join("; ", formats.Select(f => f.Description))}.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(["table", "json", .. formats.Select(f => f.Name)]);
        var command = new Command("plan", "List the missions and whether each is due now (schedule against the last successful run, manual ones only when named), with the reason.") { json, format };
        selection.AddTo(command);
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var catalog = engine.RequireValidCatalog();
            var plan = engine.Plan(catalog.Briefs, selection.Read(parse));
            if (formats.FirstOrDefault(f => f.Name == parse.GetValue(format)) is { } machine)
            {
                machine.Write(plan, context.Output, context.Host);
                return ExitCodes.Success;
            }

            if (parse.GetValue(json) || parse.GetValue(format) == "json")
            {
                var document = plan.Select(p => new { id = p.Brief.Id, kind = p.Brief.Kind, loop = p.Brief.Loop, due = p.Due, reason = p.Reason, lastSuccess = p.LastSuccess, nextDue = p.NextDue });
                context.Output.WriteLine(JsonSerializer.Serialize(document, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("mission", "kind", "due", "reason");
            foreach (var item in plan)
            {
                table.AddRow(Markup.Escape(item.Brief.Id), item.Brief.Kind, item.Due ? "[green]yes[/]" : "no", Markup.Escape(item.Reason));
            }

            context.Out.Write(table);
            context.Output.WriteLine($"{plan.Count(p => p.Due)} of {plan.Count} mission(s) due.");
            return ExitCodes.Success;
        });
        return command;
    }
}
