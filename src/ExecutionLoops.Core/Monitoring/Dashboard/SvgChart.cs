using System.Text;
using static ExecutionLoops.Monitoring.MonitoringFormat;

namespace ExecutionLoops.Monitoring.Dashboard;

/// <summary>
/// Charts drawn as inline SVG, so the page needs no script and no network. Each chart is an image with a title and a
/// description that says in words what it draws (<c>role="img"</c>, <c>aria-labelledby</c>); colours come from the
/// page's CSS variables, so charts follow the light or dark scheme.
/// </summary>
internal static class SvgChart
{
    private const int Width = 720;

    /// <summary>One bar per label, horizontal, with its value written beside it.</summary>
    public static string Bars(string id, string title, string description, IReadOnlyList<(string Label, double Value, string Text)> bars, string colour)
    {
        const int row = 26, labelWidth = 220;
        var height = Math.Max(1, bars.Count) * row + 10;
        var max = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1e-9);
        var svg = Open(id, title, description, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, text) = bars[i];
            var y = 5 + i * row;
            var length = (Width - labelWidth - 90) * value / max;
            svg.Append($"""<text x="{labelWidth - 8}" y="{Svg(y + 17)}" text-anchor="end" class="label">{Html(label)}</text>""");
            svg.Append($"""<rect x="{labelWidth}" y="{Svg(y + 4)}" width="{Svg(Math.Max(length, 1))}" height="18" rx="3" fill="var({colour})"><title>{Html(label)}: {Html(text)}</title></rect>""");
            svg.Append($"""<text x="{Svg(labelWidth + length + 6)}" y="{Svg(y + 17)}" class="value">{Html(text)}</text>""");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Lines of rates (0 to 1) over days; a series with no value on a day has a gap there.</summary>
    public static string Rates(string id, string title, string description, IReadOnlyList<DateOnly> days, IReadOnlyList<(string Name, string Colour, IReadOnlyList<double?> Values)> series)
    {
        const int height = 220, left = 48, right = 20, top = 16, bottom = 44;
        var svg = Open(id, title, description, height);
        double X(int i) => days.Count == 1 ? (left + Width - right) / 2.0 : left + (Width - left - right) * i / (double)(days.Count - 1);
        double Y(double rate) => top + (height - top - bottom) * (1 - rate);
        foreach (var tick in new[] { 0, 0.5, 1 })
        {
            svg.Append($"""<line x1="{left}" x2="{Width - right}" y1="{Svg(Y(tick))}" y2="{Svg(Y(tick))}" class="grid"/><text x="{left - 6}" y="{Svg(Y(tick) + 4)}" text-anchor="end" class="label">{Percent(tick)}</text>""");
        }

        var step = Math.Max(1, days.Count / 8);
        for (var i = 0; i < days.Count; i += step)
        {
            svg.Append($"""<text x="{Svg(X(i))}" y="{height - bottom + 18}" text-anchor="middle" class="label">{Day(days[i])}</text>""");
        }

        var legendX = left;
        foreach (var (name, colour, values) in series)
        {
            var points = values.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => $"{Svg(X(p.i))},{Svg(Y(p.v!.Value))}").ToList();
            if (points.Count > 1)
            {
                svg.Append($"""<polyline fill="none" stroke="var({colour})" stroke-width="2.5" points="{string.Join(' ', points)}"/>""");
            }

            foreach (var (value, i) in values.Select((v, i) => (v, i)).Where(p => p.v is not null))
            {
                svg.Append($"""<circle cx="{Svg(X(i))}" cy="{Svg(Y(value!.Value))}" r="4.5" fill="var({colour})"><title>{Html(name)} on {Day(days[i])}: {Percent(value)}</title></circle>""");
            }

            svg.Append($"""<rect x="{legendX}" y="{height - 16}" width="12" height="12" fill="var({colour})"/><text x="{legendX + 18}" y="{height - 6}" class="label">{Html(name)}</text>""");
            legendX += 160;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A row per mission, a mark per run along time; the mark's shape and colour say the outcome.</summary>
    public static string Timeline(string id, string title, string description, IReadOnlyList<MissionRunRecord> runs)
    {
        const int row = 28, left = 170, right = 20, top = 8;
        var missions = runs.Select(r => r.Mission).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var height = top + missions.Count * row + 30;
        var svg = Open(id, title, description, height);
        if (runs.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }

        var first = runs.Min(r => r.Started);
        var last = runs.Max(r => r.Started);
        var span = Math.Max((last - first).TotalSeconds, 1);
        double X(DateTimeOffset at) => runs.Count == 1 || last == first ? (left + Width - right) / 2.0 : left + (Width - left - right) * (at - first).TotalSeconds / span;
        for (var m = 0; m < missions.Count; m++)
        {
            var y = top + m * row + row / 2;
            svg.Append($"""<text x="{left - 10}" y="{y + 4}" text-anchor="end" class="label">{Html(missions[m])}</text><line x1="{left}" x2="{Width - right}" y1="{y}" y2="{y}" class="grid"/>""");
            foreach (var run in runs.Where(r => r.Mission == missions[m]))
            {
                var x = X(run.Started);
                var tip = $"{run.Mission}, {Time(run.Started)}: {InsightsCalculator.OutcomeName(run)}{(run.Review is ReviewOutcome.None ? "" : $", review {run.Review.ToString().ToLowerInvariant()}")}";
                svg.Append(run.Succeeded
                    ? $"""<circle cx="{Svg(x)}" cy="{y}" r="6" fill="var(--ok)" class="run"><title>{Html(tip)}</title></circle>"""
                    : $"""<rect x="{Svg(x - 6)}" y="{y - 6}" width="12" height="12" fill="var(--bad)" transform="rotate(45 {Svg(x)} {y})" class="run"><title>{Html(tip)}</title></rect>""");
            }
        }

        var axis = top + missions.Count * row + 18;
        svg.Append($"""<text x="{left}" y="{axis}" class="label">{Html(Time(first))}</text>""");
        if (last != first)
        {
            svg.Append($"""<text x="{Width - right}" y="{axis}" text-anchor="end" class="label">{Html(Time(last))}</text>""");
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string id, string title, string description, int height) =>
        new StringBuilder().Append($"""<svg role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" id="{id}"><title id="{id}-title">{Html(title)}</title><desc id="{id}-desc">{Html(description)}</desc>""");

    /// <summary>Text made safe for HTML and SVG.</summary>
    public static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);
}
