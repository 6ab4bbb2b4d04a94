namespace ExecutionLoops.Workspace;

/// <summary>
/// A folder of loops' own state inside the repository (<c>.loops/state</c>, <c>.loops/pair</c>) that ignores itself:
/// a <c>.gitignore</c> holding <c>*</c>, whatever the repository's own .gitignore says (or whether <c>loops init</c>
/// ever ran). It never shows up as untracked, in a checkpoint, or in a pair session's changes.
/// </summary>
internal static class IgnoredFolder
{
    /// <summary>Creates <paramref name="path"/> if needed, with its self-ignoring <c>.gitignore</c>.</summary>
    public static void Ensure(string path)
    {
        Directory.CreateDirectory(path);
        var ignore = Path.Combine(path, ".gitignore");
        if (!File.Exists(ignore))
        {
            File.WriteAllText(ignore, "# ExecutionLoops state: never part of the repository.\n*\n");
        }
    }
}
