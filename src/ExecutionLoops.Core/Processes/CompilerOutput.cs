using System.Text.RegularExpressions;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Processes;

/// <summary>Reads canonical compiler/MSBuild lines (<c>path(line,col): error CS1002: message [project]</c>) out of tool output.</summary>
public static partial class CompilerOutput
{
    /// <summary>Every distinct error (or, with <paramref name="includeWarnings"/>, warning) in the output, paths made relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<Diagnostic> Parse(string output, string root, string code, bool includeWarnings = false)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<Diagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var match = Line().Match(line.Trim());
            if (!match.Success || (!includeWarnings && match.Groups["severity"].Value != "error"))
            {
                continue;
            }

            var path = match.Groups["path"].Value;
            var relative = Path.IsPathRooted(path) ? Path.GetRelativePath(root, path).Replace('\\', '/') : path;
            var text = $"{match.Groups["id"].Value}: {match.Groups["message"].Value.Trim()}";
            var diagnostic = new Diagnostic(code, match.Groups["severity"].Value == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, text, relative, int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (seen.Add(diagnostic.ToString()))
            {
                diagnostics.Add(diagnostic);
            }
        }

        return diagnostics;
    }

    [GeneratedRegex(@"^(?<path>[^(\s][^(]*)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>error|warning) (?<id>[A-Za-z]+\d*[A-Za-z0-9_]*): (?<message>.*?)(?: \[[^\]]+\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Line();
}
