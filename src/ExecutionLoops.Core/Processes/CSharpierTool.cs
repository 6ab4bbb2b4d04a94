using System.Text.Json;

namespace ExecutionLoops.Processes;

/// <summary>
/// CSharpier, when the repository's tool manifest (.config/dotnet-tools.json) lists it: the formatter the team
/// chose wins over <c>dotnet format</c> for layout. Its command line changed at 1.0 (<c>csharpier format</c> and
/// <c>csharpier check</c> instead of <c>csharpier</c> and <c>csharpier --check</c>).
/// </summary>
internal sealed record CSharpierTool(string Version)
{
    /// <summary>The tool from the worktree's manifest, or null when the repository does not use CSharpier.</summary>
    public static CSharpierTool? Find(string worktree)
    {
        var manifest = Path.Combine(worktree, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.TryGetProperty("tools", out var tools) && tools.EnumerateObject().FirstOrDefault(t => t.Name.Equals("csharpier", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.Object } tool
                ? new CSharpierTool(tool.Value.TryGetProperty("version", out var version) ? version.GetString() ?? "" : "")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool IsOneOrLater => int.TryParse(Version.Split('.')[0], out var major) && major >= 1;

    /// <summary><c>dotnet tool restore</c>, so the pinned version runs.</summary>
    public static ProcessSpec Restore(string worktree) => DotnetCli.Command(worktree, "tool", "restore");

    /// <summary>Formats the given files or folders.</summary>
    public ProcessSpec Format(string worktree, IReadOnlyList<string> paths) =>
        DotnetCli.Command(worktree, [.. IsOneOrLater ? ["csharpier", "format"] : (string[])["csharpier"], .. paths]);

    /// <summary>Checks the given files without changing them (non-zero exit when one is not formatted).</summary>
    public ProcessSpec Check(string worktree, IReadOnlyList<string> paths) =>
        DotnetCli.Command(worktree, [.. IsOneOrLater ? ["csharpier", "check"] : (string[])["csharpier", "--check"], .. paths]);
}
