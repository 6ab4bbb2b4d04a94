namespace ExecutionLoops.Processes;

/// <summary>Keeps the end of long logs: reports show the last lines, where failures are.</summary>
internal static class TextTail
{
    /// <summary>The last <paramref name="lines"/> non-empty-trailing lines of <paramref name="text"/>.</summary>
    public static string Of(string text, int lines = 30)
    {
        var all = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        return all.Length <= lines ? string.Join('\n', all) : string.Join('\n', all[^lines..]);
    }
}
