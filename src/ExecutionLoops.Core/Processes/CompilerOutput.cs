using System.Text.RegularExpressions;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Processes;

/// <summary>
/// Reads canonical compiler/MSBuild lines (<c>path(line,col): error CS1002: message [project]</c>) out of tool output,
/// and the ones without a position that restore and MSBuild write (<c>Shop.csproj : error NU1101: …</c>,
/// <c>MSBUILD : error MSB1009: …</c>): a build that fails in restore has errors too.
/// </summary>
internal static partial class CompilerOutput
{
    /// <summary>Every distinct error (or, with <paramref name="includeWarnings"/>, warning) in the output, paths made relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<Diagnostic> Parse(string output, string root, string code, bool includeWarnings = false)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<Diagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            var match = Line().Match(trimmed) is { Success: true } positioned ? positioned : Unpositioned().Match(trimmed);
            if (!match.Success || (!includeWarnings && match.Groups["severity"].Value != "error"))
            {
                continue;
            }

            var path = match.Groups["path"].Value.Trim();
            string? relative = path is "MSBUILD" or "CSC" or "" ? null : Path.IsPathRooted(path) ? Path.GetRelativePath(root, path).Replace('\\', '/') : path;
            var id = match.Groups["id"].Value;
            var text = id.Length > 0 ? $"{id}: {match.Groups["message"].Value.Trim()}" : match.Groups["message"].Value.Trim();
            var diagnostic = new Diagnostic(code, match.Groups["severity"].Value == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, text, relative, Number(match.Groups["line"]), Number(match.Groups["column"]));
            if (seen.Add(diagnostic.ToString()))
            {
                diagnostics.Add(diagnostic);
            }
        }

        return diagnostics;
    }

    private static int Number(Group group) => group.Success ? int.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?<path>[^(\s][^(]*)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>error|warning) ?(?<id>[A-Za-z]+\d*[A-Za-z0-9_]*)?: (?<message>.*?)(?: \[[^\]]+\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    // "Shop.csproj : error NU1101: …", "MSBUILD : error MSB1009: …", "/path/Shop.sln : error NU1105: …"
    [GeneratedRegex(@"^(?<path>[^(:]+?|[A-Za-z]:[^(:]+?) : (?<severity>error|warning) (?<id>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]+\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Unpositioned();
}
