using System.Text.Json;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Analysis;

/// <summary>One compiler or analyzer finding.</summary>
/// <param name="RuleId">CA1822, IDE0005, CS0168, …</param>
/// <param name="Level">error, warning or note.</param>
/// <param name="Message">The message text.</param>
/// <param name="Path">Repo-relative file, or "" when the finding has no location.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
internal sealed record AnalyzerFinding(string RuleId, string Level, string Message, string Path, int Line, int Column)
{
    /// <summary>
    /// What identifies the finding across versions of the file: rule, file and message, not the line, so code
    /// that moved is not a new warning.
    /// </summary>
    public string Fingerprint => $"{RuleId}|{Path}|{Message}";
}

/// <summary>
/// The one reader of the SARIF 2.1 logs the compiler writes with <c>ErrorLog</c>: the analyzers gate and the analyze
/// toil compare its findings, and the build gate reads a build that already ran (the MSBuild Pair target) from it.
/// </summary>
internal static class SarifLogReader
{
    /// <summary>
    /// The findings of every log, with paths relative to <paramref name="root"/>; duplicates (multi-targeting) removed.
    /// Results the source suppressed (<c>#pragma warning disable</c>, <c>SuppressMessage</c>) are left out: the compiler
    /// logs them, but they are not warnings of the build, and a suppression is how a developer clears one.
    /// </summary>
    public static IReadOnlyList<AnalyzerFinding> Read(IEnumerable<string> logs, string root) =>
        logs.SelectMany(log => Results(log, root))
            .Where(result => !result.Suppressed)
            .Select(result => result.Finding)
            .Distinct()
            .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The errors and warnings of one log as build diagnostics (EL3001, message <c>CS0103: …</c>), in the log's order,
    /// paths relative to <paramref name="root"/>: what the build reported, so suppressed results and notes are left out.
    /// </summary>
    public static IReadOnlyList<Diagnostic> ReadDiagnostics(string log, string root) =>
        Results(log, root)
            .Where(result => !result.Suppressed && result.Finding.Level is "error" or "warning")
            .Select(result => result.Finding)
            .Select(f => new Diagnostic(
                DiagnosticCodes.BuildFailed,
                f.Level == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                $"{(f.RuleId.Length == 0 ? "?" : f.RuleId)}: {f.Message}",
                f.Path.Length == 0 ? null : f.Path,
                f.Line,
                f.Column))
            .ToList();

    /// <summary>Findings of the new state that the baseline does not have (counted, so a second copy of an old warning is new).</summary>
    public static IReadOnlyList<AnalyzerFinding> NewSince(IReadOnlyList<AnalyzerFinding> baseline, IReadOnlyList<AnalyzerFinding> current)
    {
        var remaining = baseline.GroupBy(f => f.Fingerprint).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var added = new List<AnalyzerFinding>();
        foreach (var finding in current)
        {
            if (remaining.TryGetValue(finding.Fingerprint, out var count) && count > 0)
            {
                remaining[finding.Fingerprint] = count - 1;
            }
            else
            {
                added.Add(finding);
            }
        }

        return added;
    }

    /// <summary>A SARIF 2.1 log of findings (paths relative to the repository) for code scanning upload.</summary>
    public static string Write(IReadOnlyList<AnalyzerFinding> findings)
    {
        var document = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["tool"] = new { driver = new { name = "ExecutionLoops analyze", informationUri = "https://github.com/executionloops", rules = findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal).Select(id => new { id }) } },
                    ["results"] = findings.Select(f => new
                    {
                        ruleId = f.RuleId,
                        level = f.Level,
                        message = new { text = f.Message },
                        locations = f.Path.Length == 0 ? [] : new[] { new { physicalLocation = new { artifactLocation = new { uri = f.Path, uriBaseId = "%SRCROOT%" }, region = new { startLine = Math.Max(1, f.Line), startColumn = Math.Max(1, f.Column) } } } },
                    }),
                },
            },
        };
        return JsonSerializer.Serialize(document, LoopsJson.Indented);
    }

    /// <summary>Every result of one log in its order, and whether the source suppressed it (<c>#pragma</c>, <c>SuppressMessage</c>).</summary>
    private static List<(AnalyzerFinding Finding, bool Suppressed)> Results(string log, string root)
    {
        var results = new List<(AnalyzerFinding, bool)>();
        using var document = JsonDocument.Parse(File.ReadAllText(log), new JsonDocumentOptions { AllowTrailingCommas = true });
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var runResults))
            {
                continue;
            }

            foreach (var result in runResults.EnumerateArray())
            {
                var (path, line, column) = Location(result, root);
                var finding = new AnalyzerFinding(
                    result.TryGetProperty("ruleId", out var rule) ? rule.GetString() ?? "" : "",
                    result.TryGetProperty("level", out var level) ? level.GetString() ?? "warning" : "warning",
                    result.TryGetProperty("message", out var message) && message.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "",
                    path,
                    line,
                    column);
                results.Add((finding, result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0));
            }
        }

        return results;
    }

    private static (string Path, int Line, int Column) Location(JsonElement result, string root)
    {
        if (!result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0 || !locations[0].TryGetProperty("physicalLocation", out var physical))
        {
            return ("", 0, 0);
        }

        var uri = physical.TryGetProperty("artifactLocation", out var artifact) && artifact.TryGetProperty("uri", out var u) ? u.GetString() ?? "" : "";
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : uri;
        var relative = System.IO.Path.IsPathRooted(path) ? System.IO.Path.GetRelativePath(root, path) : path;
        var region = physical.TryGetProperty("region", out var r) ? r : default;
        int Number(string name) => region.ValueKind == JsonValueKind.Object && region.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
        return (relative.Replace('\\', '/'), Number("startLine"), Number("startColumn"));
    }
}
