using ExecutionLoops.Gates;

namespace ExecutionLoops.Reporting;

/// <summary>Small Markdown helpers shared by the report and review-body writers.</summary>
public static class MarkdownText
{
    /// <summary>Text safe inside a table cell: pipes escaped, newlines flattened.</summary>
    public static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>✓, ✗ or – for a gate status.</summary>
    public static string Mark(GateStatus status) => status switch
    {
        GateStatus.Passed => "✓",
        GateStatus.Failed => "✗",
        _ => "–",
    };

    /// <summary>A duration as seconds with one decimal.</summary>
    public static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds:0.0}s";

    /// <summary>A gate table (gate, result, required/advisory, duration, summary), with a mission column when rows name one.</summary>
    /// <param name="rows">The gates, each with its mission when the table spans several.</param>
    /// <param name="logUrl">Where the logs are; adds a log column linking to it.</param>
    public static IEnumerable<string> GateTable(IReadOnlyList<(string? Mission, GateResult Gate)> rows, string? logUrl = null)
    {
        var withMission = rows.Any(r => r.Mission is not null);
        var log = logUrl is null ? "" : " log |";
        yield return $"{(withMission ? "| mission " : "")}| gate | result | kind | duration | summary |{log}";
        yield return $"{(withMission ? "|---" : "")}|---|:---:|---|---:|---|{(logUrl is null ? "" : "---|")}";
        foreach (var (mission, gate) in rows)
        {
            var first = withMission ? $"| {Cell(mission)} " : "";
            var link = logUrl is null ? "" : $" [log]({logUrl}) |";
            yield return $"{first}| {gate.Name} | {Mark(gate.Status)} | {(gate.Required ? "required" : "advisory")} | {Seconds(gate.Duration)} | {Cell(gate.Summary)} |{link}";
        }
    }
}
