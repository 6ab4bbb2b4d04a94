using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Dependencies;

/// <summary>
/// Writes new versions into their sites. Every edit is checked against the file first (the text at the site
/// must still be the version that was scanned); only when all files check out is anything written, each file
/// atomically, with its encoding, byte-order mark, line endings and every other character unchanged.
/// </summary>
internal static class VersionEditor
{
    /// <summary>Applies the edits; returns the files changed, or the problem that stopped everything.</summary>
    public static (IReadOnlyList<string> Files, Diagnostic? Problem) Apply(string root, IEnumerable<(VersionSite Site, string NewVersion)> edits)
    {
        var planned = new List<(string Path, SourceText Source, string Text)>();
        foreach (var file in edits.DistinctBy(e => (e.Site.File, e.Site.Offset)).GroupBy(e => e.Site.File))
        {
            var path = Path.Combine(root, file.Key);
            var source = SourceText.Read(path);
            var text = source.Text;
            foreach (var (site, version) in file.OrderByDescending(e => e.Site.Offset))
            {
                if (site.Offset + site.Text.Length > text.Length || string.CompareOrdinal(text, site.Offset, site.Text, 0, site.Text.Length) != 0)
                {
                    return ([], Diagnostic.Error(DiagnosticCodes.VersionEditConflict, $"'{file.Key}' no longer has '{site.Text}' at line {site.Line}; it changed after the scan. Nothing was written.", file.Key, site.Line, site.Column, "Run the mission again."));
                }

                text = string.Concat(text.AsSpan(0, site.Offset), version, text.AsSpan(site.Offset + site.Text.Length));
            }

            planned.Add((path, source, text));
        }

        foreach (var (path, source, text) in planned)
        {
            var temporary = $"{path}.loops-{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, source.Encode(text));
            File.Move(temporary, path, overwrite: true);
        }

        return (planned.Select(p => Path.GetRelativePath(root, p.Path).Replace('\\', '/')).ToList(), null);
    }
}
