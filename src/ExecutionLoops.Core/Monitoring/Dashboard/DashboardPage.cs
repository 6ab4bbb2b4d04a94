using System.Text;
using ExecutionLoops.Gates;
using static ExecutionLoops.Monitoring.Dashboard.SvgChart;
using static ExecutionLoops.Monitoring.MonitoringFormat;

namespace ExecutionLoops.Monitoring.Dashboard;

/// <summary>
/// The dashboard page: one self-contained HTML file (its style inline, charts as inline SVG, no script, font or image
/// from anywhere), so it works opened from disk, as a CI artifact and on GitHub Pages. Every table is a real table
/// with a caption and header scopes; every chart has a title and a description in words, and a table beside it.
/// </summary>
internal static class DashboardPage
{
    /// <summary>Runs listed in the recent-runs table.</summary>
    public const int RecentRuns = 50;

    /// <summary>The page (not yet masked: the caller masks the whole text).</summary>
    public static string Render(MonitoringSnapshot snapshot, InsightsReport insights)
    {
        var page = new StringBuilder();
        page.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>Loops dashboard: {Html(snapshot.Repository)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <header>
            <h1>Loops dashboard: {Html(snapshot.Repository)}</h1>
            <p>Generated {Html(Time(snapshot.Taken))} from {snapshot.Runs.Count} mission run{(snapshot.Runs.Count == 1 ? "" : "s")} of {insights.Missions.Count} mission{(insights.Missions.Count == 1 ? "" : "s")}.</p>
            <nav aria-label="Sections"><ul><li><a href="#missions">Missions</a></li><li><a href="#suggestions">Suggestions</a></li><li><a href="#timeline">Timeline</a></li><li><a href="#trends">Trends</a></li><li><a href="#gates">Gate failures</a></li><li><a href="#cost">Agent cost</a></li><li><a href="#reviews">Open review items</a></li><li><a href="#pair">Pair sessions</a></li></ul></nav>
            </header>
            <main>

            """);
        Warnings(page, snapshot);
        Missions(page, insights);
        Suggestions(page, insights);
        Timeline(page, snapshot);
        Trends(page, snapshot);
        GateFailures(page, snapshot);
        CostOverTime(page, snapshot);
        OpenItems(page, snapshot);
        PairSessions(page, snapshot);
        page.Append("</main>\n<footer><p>Written by <code>loops dashboard</code> from <code>.loops/state/history</code>.</p></footer>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Opens a section with its heading (the section is labelled by it).</summary>
    private static void Open(StringBuilder page, string id, string title) =>
        page.Append($"<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{title}</h2>");

    /// <summary>Closes a section that has nothing to show, saying why.</summary>
    private static void Empty(StringBuilder page, string html) =>
        page.Append($"<p class=\"empty\">{html}</p></section>\n");

    private static void Warnings(StringBuilder page, MonitoringSnapshot snapshot)
    {
        if (snapshot.Warnings.Count == 0)
        {
            return;
        }

        page.Append("<section aria-labelledby=\"warnings-h\" class=\"warnings\"><h2 id=\"warnings-h\">Warnings</h2><ul>");
        foreach (var warning in snapshot.Warnings)
        {
            page.Append($"<li><code>{Html(warning.Code)}</code> {Html(warning.Message)}</li>");
        }

        page.Append("</ul></section>\n");
    }

    private static void Missions(StringBuilder page, InsightsReport insights)
    {
        Open(page, "missions", "Missions");
        if (insights.Missions.Count == 0)
        {
            Empty(page, "No mission has run yet: <code>loops delegate</code> starts the history.");
            return;
        }

        page.Append("""<table id="missions-table"><caption>Each mission over its recorded runs</caption><thead><tr><th scope="col">Mission</th><th scope="col">Kind</th><th scope="col">Runs</th><th scope="col">Success rate</th><th scope="col">Approval rate</th><th scope="col">Rework rounds</th><th scope="col">Median time to review</th><th scope="col">Most frequent gate failure</th><th scope="col">Agent cost</th><th scope="col">Last run</th></tr></thead><tbody>""");
        foreach (var m in insights.Missions)
        {
            var failure = m.GateFailures.Count > 0 && m.GateFailures[0] is { } f ? $"{f.Gate}{(f.Code is null ? "" : $" ({f.Code})")} × {f.Count}" : "–";
            page.Append($"""<tr><th scope="row">{Html(m.Mission)}</th><td>{Html(m.Kind)}</td><td class="num">{m.Runs}</td><td class="num">{Percent(m.SuccessRate)}</td><td class="num">{Percent(m.ApprovalRate)}</td><td class="num">{m.ReworkRounds}</td><td class="num">{Duration(m.MedianTimeToReview)}</td><td>{Html(failure)}</td><td class="num">{Cost(m.Cost)}</td><td>{Badge(m.LastOutcome)} {Html(Time(m.LastRun))}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void Suggestions(StringBuilder page, InsightsReport insights)
    {
        Open(page, "suggestions", "Improvement suggestions");
        if (insights.Suggestions.Count == 0)
        {
            Empty(page, "Nothing to suggest: no repeated rejections, no required gate failing most runs, no routine pair sessions.");
            return;
        }

        page.Append("<ul class=\"suggestions\">");
        foreach (var s in insights.Suggestions)
        {
            page.Append($"<li><span class=\"rule\">{Html(s.Rule)}</span> {Html(s.Message)}</li>");
        }

        page.Append("</ul></section>\n");
    }

    private static void Timeline(StringBuilder page, MonitoringSnapshot snapshot)
    {
        var runs = snapshot.Runs;
        var succeeded = runs.Count(r => r.Succeeded);
        Open(page, "timeline", "Timeline of runs");
        page.Append("<p class=\"legend\"><span class=\"ok\">●</span> succeeded <span class=\"bad\">◆</span> failed, interrupted or published over a failed gate</p>");
        page.Append(SvgChart.Timeline("timeline-chart", "Timeline of mission runs", $"{runs.Count} mission runs, {succeeded} succeeded and {runs.Count - succeeded} did not, one row per mission along time; the table below lists them.", runs));
        page.Append("""<table id="runs-table"><caption>Recent mission runs, newest first</caption><thead><tr><th scope="col">Started</th><th scope="col">Mission</th><th scope="col">Run</th><th scope="col">Outcome</th><th scope="col">Failed gates</th><th scope="col">Attempts</th><th scope="col">Change</th><th scope="col">Review</th><th scope="col">Time to review</th><th scope="col">Cost</th></tr></thead><tbody>""");
        foreach (var run in runs.OrderByDescending(r => r.Started).Take(RecentRuns))
        {
            var failed = string.Join(", ", run.Gates.Where(g => g.Status == GateStatus.Failed).Select(g => g.Codes.Count > 0 ? $"{g.Name} ({string.Join(", ", g.Codes)})" : g.Name));
            var review = run.Review == ReviewOutcome.None ? "–" : run.Review.ToString().ToLowerInvariant() + (run.Feedback.Count > 0 ? $": “{FeedbackSimilarity.Shorten(string.Join(" ", run.Feedback))}”" : "");
            page.Append($"""<tr><td>{Html(Time(run.Started))}</td><th scope="row">{Html(run.Mission)}</th><td><code>{Html(run.Run)}</code></td><td>{Badge(InsightsCalculator.OutcomeName(run))}</td><td>{Html(failed.Length == 0 ? "–" : failed)}</td><td class="num">{run.Attempts}</td><td class="num">{run.Files} files, +{run.Insertions} −{run.Deletions}</td><td>{Html(review)}</td><td class="num">{Duration(run.TimeToReview)}</td><td class="num">{Cost(run.AgentUsage?.Cost)}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void Trends(StringBuilder page, MonitoringSnapshot snapshot)
    {
        var byDay = snapshot.Runs.GroupBy(r => DateOnly.FromDateTime(r.Started.UtcDateTime)).OrderBy(g => g.Key).ToList();
        var days = byDay.Select(g => g.Key).ToList();
        var success = byDay.Select(g => (double?)g.Count(r => r.Succeeded) / g.Count()).ToList();
        var approval = byDay.Select(g => g.Where(r => r.Review is ReviewOutcome.Approved or ReviewOutcome.Rejected or ReviewOutcome.Closed).ToList())
            .Select(d => d.Count == 0 ? null : (double?)d.Count(r => r.Review == ReviewOutcome.Approved) / d.Count).ToList();
        Open(page, "trends", "Success and approval trends");
        if (days.Count == 0)
        {
            Empty(page, "No runs yet.");
            return;
        }

        var words = string.Join("; ", days.Select((d, i) => $"{Day(d)}: success {Percent(success[i])}, approval {Percent(approval[i])}"));
        page.Append(Rates("trends-chart", "Success and approval rate by day", $"Per day, the share of runs that succeeded and of reviewed revisions that were approved. {words}.", days, [("Success rate", "--ok", success), ("Approval rate", "--accent", approval)]));
        page.Append("""<table id="trends-table"><caption>Success and approval rate by day</caption><thead><tr><th scope="col">Day</th><th scope="col">Runs</th><th scope="col">Success rate</th><th scope="col">Approval rate</th></tr></thead><tbody>""");
        for (var i = 0; i < days.Count; i++)
        {
            page.Append($"""<tr><th scope="row">{Day(days[i])}</th><td class="num">{byDay[i].Count()}</td><td class="num">{Percent(success[i])}</td><td class="num">{Percent(approval[i])}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void GateFailures(StringBuilder page, MonitoringSnapshot snapshot)
    {
        var causes = snapshot.Runs.SelectMany(r => r.Gates.Where(g => g.Status == GateStatus.Failed).DistinctBy(g => g.Name)
                .Select(g => (g.Name, Code: g.Codes.Count > 0 ? g.Codes[0] : g.Required && r.FailureCodes.Count > 0 ? r.FailureCodes[0] : null)))
            .GroupBy(c => c).Select(g => (Cause: g.Key, Count: g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Cause.Name, StringComparer.Ordinal).ToList();
        Open(page, "gates", "Gate failure causes");
        if (causes.Count == 0)
        {
            Empty(page, "No gate has failed.");
            return;
        }

        string Label((string Name, string? Code) cause) => cause.Code is null ? cause.Name : $"{cause.Name} ({cause.Code})";
        page.Append(Bars("gates-chart", "Gate failures by gate and EL code", "Runs in which each gate failed: " + string.Join("; ", causes.Select(c => $"{Label(c.Cause)}: {c.Count}")) + ".", causes.Select(c => (Label(c.Cause), (double)c.Count, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(), "--bad"));
        page.Append("""<table id="gates-table"><caption>Gate failures by gate and EL code</caption><thead><tr><th scope="col">Gate</th><th scope="col">EL code</th><th scope="col">Runs failed</th></tr></thead><tbody>""");
        foreach (var (cause, count) in causes)
        {
            page.Append($"""<tr><th scope="row">{Html(cause.Name)}</th><td>{Html(cause.Code ?? "–")}</td><td class="num">{count}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void CostOverTime(StringBuilder page, MonitoringSnapshot snapshot)
    {
        var byDay = snapshot.Runs.Where(r => r.AgentUsage is not null).GroupBy(r => DateOnly.FromDateTime(r.Started.UtcDateTime)).OrderBy(g => g.Key)
            .Select(g => (Day: g.Key, Cost: g.Select(r => r.AgentUsage!.Cost).OfType<decimal>().Sum(), Tokens: g.Sum(r => r.AgentUsage!.InputTokens + r.AgentUsage!.OutputTokens), Runs: g.Count())).ToList();
        Open(page, "cost", "Agent cost over time");
        if (byDay.Count == 0)
        {
            Empty(page, "No agent mission has run: no cost recorded.");
            return;
        }

        page.Append(Bars("cost-chart", "Agent cost by day", "Estimated agent cost per day: " + string.Join("; ", byDay.Select(d => $"{Day(d.Day)}: {Cost(d.Cost)}")) + ".", byDay.Select(d => (Day(d.Day), (double)d.Cost, Cost(d.Cost))).ToList(), "--accent"));
        page.Append("""<table id="cost-table"><caption>Agent usage by day</caption><thead><tr><th scope="col">Day</th><th scope="col">Agent runs</th><th scope="col">Tokens</th><th scope="col">Estimated cost</th></tr></thead><tbody>""");
        foreach (var d in byDay)
        {
            page.Append($"""<tr><th scope="row">{Day(d.Day)}</th><td class="num">{d.Runs}</td><td class="num">{d.Tokens}</td><td class="num">{Cost(d.Cost)}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void OpenItems(StringBuilder page, MonitoringSnapshot snapshot)
    {
        Open(page, "reviews", "Open review items");
        if (snapshot.OpenItems.Count == 0)
        {
            Empty(page, "No review item is waiting.");
            return;
        }

        page.Append("""<table id="reviews-table"><caption>Review items waiting for a reviewer, oldest first</caption><thead><tr><th scope="col">Item</th><th scope="col">Mission</th><th scope="col">Title</th><th scope="col">State</th><th scope="col">Revision</th><th scope="col">Age</th><th scope="col">Last change</th></tr></thead><tbody>""");
        foreach (var item in snapshot.OpenItems)
        {
            var state = item.ChangesRequested ? "changes requested" : item.Draft ? "draft" : "open";
            page.Append($"""<tr><th scope="row">{Html(item.Id)}</th><td>{Html(item.Mission)}</td><td>{Html(item.Title)}</td><td>{Html(state)}</td><td class="num">{item.Revision}</td><td class="num">{Duration(snapshot.Taken - item.Created)}</td><td>{Html(Time(item.Updated))}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static void PairSessions(StringBuilder page, MonitoringSnapshot snapshot)
    {
        Open(page, "pair", "Pair session records");
        if (snapshot.PairSessions.Count == 0)
        {
            Empty(page, "No pair session recorded.");
            return;
        }

        page.Append("""<table id="pair-table"><caption>Pair sessions, oldest first</caption><thead><tr><th scope="col">Session</th><th scope="col">Goal</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Checkpoints</th><th scope="col">Files changed</th><th scope="col">Routine work</th></tr></thead><tbody>""");
        foreach (var s in snapshot.PairSessions)
        {
            var duration = s.Ended is { } ended ? Duration(ended - s.Started) : "active";
            page.Append($"""<tr><th scope="row">{Html(s.Id)}</th><td>{Html(s.Goal)}</td><td>{Html(Time(s.Started))}</td><td class="num">{Html(duration)}</td><td class="num">{s.Checkpoints}</td><td class="num">{s.Files}</td><td>{Html(s.Routine ?? "–")}</td></tr>""");
        }

        page.Append("</tbody></table></section>\n");
    }

    private static string Badge(string outcome)
    {
        var tone = outcome is "published" or "no-changes" ? "ok" : outcome is "dry-run" ? "neutral" : "bad";
        return $"<span class=\"badge {tone}\">{Html(outcome)}</span>";
    }

    // System fonts only: nothing is fetched. Colours meet WCAG AA contrast on their background in both schemes.
    private const string Style = """
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --ok: #1a7f37; --bad: #cf222e; --accent: #0969da; }
        @media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23; --ok: #3fb950; --bad: #ff7b72; --accent: #58a6ff; } }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
        header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 24px; border-bottom: 1px solid var(--line); }
        h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.25rem; margin: 32px 0 12px; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        a { color: var(--accent); }
        table { border-collapse: collapse; width: 100%; margin: 12px 0 8px; font-size: 0.92rem; }
        caption { text-align: left; color: var(--muted); padding-bottom: 6px; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: var(--panel); }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
        svg { display: block; max-width: 100%; height: auto; margin: 8px 0; }
        svg .label, svg .value { fill: var(--fg); font-size: 12px; font-family: inherit; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.82rem; border: 1px solid currentColor; }
        .ok { color: var(--ok); } .bad { color: var(--bad); } .neutral { color: var(--muted); }
        .empty, .legend, footer { color: var(--muted); }
        .rule { font-family: ui-monospace, monospace; font-size: 0.8rem; color: var(--muted); margin-right: 6px; }
        .suggestions li { margin-bottom: 6px; }
        .warnings { border-left: 4px solid var(--bad); padding-left: 12px; }
        footer { padding: 24px; border-top: 1px solid var(--line); margin-top: 32px; }
        """;
}
