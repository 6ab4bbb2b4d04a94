namespace ExecutionLoops.Cli.Demo;

/// <summary>The sample repository embedded in the tool (a small C# solution with three missions) that <c>loops demo</c> runs on.</summary>
internal static class DemoSample
{
    private const string Prefix = "demo/";

    /// <summary>Writes every embedded sample file under <paramref name="directory"/>, byte for byte.</summary>
    public static IReadOnlyList<string> ExtractTo(string directory)
    {
        var assembly = typeof(DemoSample).Assembly;
        var written = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            // gitignore.txt ships under another name so it does not act on this repository.
            var relative = name[Prefix.Length..].Replace('\\', '/');
            relative = relative == "gitignore.txt" ? ".gitignore" : relative;
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            resource.CopyTo(file);
            written.Add(relative);
        }

        return written;
    }
}
