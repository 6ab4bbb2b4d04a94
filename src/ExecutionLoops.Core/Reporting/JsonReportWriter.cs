using System.Text.Json;

namespace ExecutionLoops.Reporting;

/// <summary>The JSON run report for scripts (<c>--json</c>), readable back for merging reports.</summary>
public static class JsonReportWriter
{
    /// <summary>Serializes the report.</summary>
    public static string Write(RunReport report) => JsonSerializer.Serialize(report, LoopsJson.Indented);

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    public static RunReport? Read(string json) => JsonSerializer.Deserialize<RunReport>(json, LoopsJson.Indented);
}
