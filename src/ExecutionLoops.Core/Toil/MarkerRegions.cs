using System.Text.RegularExpressions;

namespace ExecutionLoops.Toil;

/// <summary>
/// Replaces the content of <c>&lt;!-- loops:begin NAME --&gt;</c> … <c>&lt;!-- loops:end --&gt;</c> regions in
/// Markdown, keeping the markers, everything around them and the file's line endings.
/// </summary>
internal static class MarkerRegions
{
    /// <summary>The text with the region's content replaced, or null when the region's markers are not there.</summary>
    public static string? Replace(string text, string region, string content)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var begin = new Regex($@"<!--\s*loops:begin\s+{Regex.Escape(region)}\s*-->", RegexOptions.CultureInvariant);
        var start = begin.Match(text);
        if (!start.Success)
        {
            return null;
        }

        var end = new Regex(@"<!--\s*loops:end\s*-->", RegexOptions.CultureInvariant).Match(text, start.Index + start.Length);
        if (!end.Success)
        {
            return null;
        }

        var body = content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Replace("\n", newline, StringComparison.Ordinal);
        var inner = $"{newline}{body}{newline}";
        return string.Concat(text.AsSpan(0, start.Index + start.Length), inner, text.AsSpan(end.Index));
    }
}
