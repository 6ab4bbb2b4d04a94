using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Monitoring;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops insights</c>: which missions earn their keep, which keep failing and why, and what to improve.</summary>
internal static partial class InsightsCommand
{
    public static Command Create(CliContext context)
    {
        var since = new Option<string>("--since") { Description = "Only runs from this long ago (30d, 12h, 2w) or since this date (2026-11-01); default: the whole history." };
        var mission = new Option<string>("--mission") { Description = "Only this mission." };
        var json = GlobalOptions.Json("the insights");
        var command = new Command("insights", "Per mission from the run history: runs, success and approval rates, rework rounds, median time to review, gate failures, agent cost; and improvement suggestions.") { since, mission, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var from = ParseSince(parse.GetValue(since), engine.Clock.GetUtcNow());
            var snapshot = await engine.Monitor.SnapshotAsync(cancellationToken);
            DiagnosticPrinter.Print(context.Err, snapshot.Warnings, context.Host);
            var only = parse.GetValue(mission);
            if (only is not null && !snapshot.DelegatedMissions.ContainsKey(only) && snapshot.Runs.All(r => r.Mission != only))
            {
                var known = snapshot.DelegatedMissions.Keys.Concat(snapshot.Runs.Select(r => r.Mission)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                throw LoopsException.InvalidInput(DiagnosticCodes.UnknownInsightsMission, $"No mission '{only}' has a brief or a recorded run.", known.Count == 0 ? "No mission has run yet: run 'loops delegate' first." : $"Known missions: {string.Join(", ", known)}.");
            }

            var insights = LoopsMonitor.Insights(snapshot, from, only);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(insights, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            Render(context, insights, from);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads <c>--since</c>: a span back from now (<c>30d</c>, <c>12h</c>, <c>2w</c>) or a date; EL1060 otherwise.</summary>
    internal static DateTimeOffset? ParseSince(string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return null;
        }

        if (Span().Match(text.Trim()) is { Success: true } match && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return now - (match.Groups[2].Value.ToLowerInvariant() switch
            {
                "h" => TimeSpan.FromHours(amount),
                "w" => TimeSpan.FromDays(7 * amount),
                _ => TimeSpan.FromDays(amount),
            });
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }

        throw LoopsException.InvalidInput(DiagnosticCodes.InvalidSince, $"--since '{text}' is neither a span nor a date.", "Give a span back from now (30d, 12h, 2w) or a date (2026-11-01).");
    }

    private static void Render(CliContext context, InsightsReport insights, DateTimeOffset? from)
    {
        if (insights.Missions.Count == 0)
        {
            context.Output.WriteLine(from is null ? "No mission runs recorded yet: run 'loops delegate'." : $"No mission runs since {from.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("mission", "runs", "success", "approval", "rework", "median review", "top gate failure", "cost");
            foreach (var m in insights.Missions)
            {
                var failure = m.GateFailures.Count > 0 ? $"{m.GateFailures[0].Gate}{(m.GateFailures[0].Code is { } code ? $" ({code})" : "")} x{m.GateFailures[0].Count}" : "-";
                table.AddRow(
                    Markup.Escape(m.Mission),
                    m.Runs.ToString(CultureInfo.InvariantCulture),
                    Percent(m.SuccessRate),
                    Percent(m.ApprovalRate),
                    m.ReworkRounds.ToString(CultureInfo.InvariantCulture),
                    m.MedianTimeToReview is { } t ? Duration(t) : "-",
                    Markup.Escape(failure),
                    m.Cost is { } cost ? cost.ToString("0.00##", CultureInfo.InvariantCulture) : "-");
            }

            context.Out.Write(table);
        }

        if (insights.Suggestions.Count > 0)
        {
            context.Output.WriteLine("Suggestions:");
            foreach (var suggestion in insights.Suggestions)
            {
                context.Output.WriteLine($"- {suggestion.Message}");
            }
        }
    }

    private static string Percent(double? rate) => rate is { } r ? Math.Round(r * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Duration(TimeSpan span) =>
        span.TotalSeconds < 90 ? $"{span.TotalSeconds:0} s" : span.TotalMinutes < 90 ? $"{span.TotalMinutes:0} min" : span.TotalHours < 48 ? $"{span.TotalHours:0.#} h" : $"{span.TotalDays:0.#} d";

    [GeneratedRegex("^([0-9]{1,5})([dhwDHW])$")]
    private static partial Regex Span();
}
