using System.Text.Json;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Pair;

/// <summary>
/// Reads the compiler's SARIF 2.1 error log (<c>-p:ErrorLog=…</c>): the diagnostics of the last compile,
/// so an in-process build does not have to be repeated to learn them.
/// </summary>
public static class SarifLog
{
    /// <summary>Errors and warnings of the log, paths relative to <paramref name="root"/>; suppressed results are left out.</summary>
    public static (IReadOnlyList<Diagnostic> Errors, IReadOnlyList<Diagnostic> Warnings) Read(string path, string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0)
                {
                    continue;
                }

                var level = result.TryGetProperty("level", out var l) ? l.GetString() : "warning";
                if (level is not ("error" or "warning"))
                {
                    continue;
                }

                var (file, line, column) = Location(result, root);
                var message = $"{(result.TryGetProperty("ruleId", out var rule) ? rule.GetString() : "?")}: {result.GetProperty("message").GetProperty("text").GetString()}";
                var diagnostic = new Diagnostic(DiagnosticCodes.BuildFailed, level == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, message, file, line, column);
                (level == "error" ? errors : warnings).Add(diagnostic);
            }
        }

        return (errors, warnings);
    }

    private static (string? File, int Line, int Column) Location(JsonElement result, string root)
    {
        if (!result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0)
        {
            return (null, 0, 0);
        }

        var physical = locations[0].GetProperty("physicalLocation");
        var uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "";
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : uri;
        var region = physical.TryGetProperty("region", out var r) ? r : default;
        var line = region.ValueKind == JsonValueKind.Object && region.TryGetProperty("startLine", out var sl) ? sl.GetInt32() : 0;
        var column = region.ValueKind == JsonValueKind.Object && region.TryGetProperty("startColumn", out var sc) ? sc.GetInt32() : 0;
        return (Path.IsPathRooted(path) ? Path.GetRelativePath(root, path).Replace('\\', '/') : path, line, column);
    }
}
