using Spectre.Console;

namespace ExecutionLoops.Cli.Rendering;

/// <summary>
/// Paths in tables stay whole on one line: a long one is shortened from the left at a folder boundary
/// (<c>…/Orders/Orders.Api.csproj</c>), where the part that tells paths apart is.
/// </summary>
internal static class PathCell
{
    public const int Width = 48;

    /// <summary>A table column for paths that never wraps.</summary>
    public static TableColumn Column(string header) => new TableColumn(header).NoWrap();

    /// <summary>The path, shortened from the left to <paramref name="width"/> characters, markup-escaped.</summary>
    public static string Of(string path, int width = Width)
    {
        if (path.Length <= width)
        {
            return Markup.Escape(path);
        }

        var tail = path[^(width - 1)..];
        var boundary = tail.IndexOf('/', StringComparison.Ordinal);
        return Markup.Escape("…" + (boundary > 0 && boundary < tail.Length - 1 ? tail[boundary..] : tail));
    }
}
