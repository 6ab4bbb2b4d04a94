namespace ExecutionLoops.Briefs;

/// <summary>Splits a Markdown file into its YAML front matter and body.</summary>
/// <param name="Yaml">The YAML between the <c>---</c> lines.</param>
/// <param name="Body">The Markdown after the closing line.</param>
/// <param name="BodyLine">The 1-based file line where the body starts.</param>
internal sealed record FrontMatter(string Yaml, string Body, int BodyLine)
{
    /// <summary>The front matter, or null with <paramref name="closed"/> telling whether it was opened but never closed.</summary>
    public static FrontMatter? Split(string text, out bool opened)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = 0;
        if (lines.Length > 0 && lines[0].StartsWith('\uFEFF'))
        {
            lines[0] = lines[0][1..];
        }

        opened = lines.Length > 0 && lines[first].TrimEnd() == "---";
        if (!opened)
        {
            return null;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() is "---" or "...")
            {
                return new FrontMatter(string.Join('\n', lines[1..i]), string.Join('\n', lines[(i + 1)..]), i + 2);
            }
        }

        return null;
    }
}
