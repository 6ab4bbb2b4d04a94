using System.Globalization;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Workspace;

/// <summary>
/// How many bytes a change adds, file by file: a new file counts its size, a changed file its growth. Line
/// counts miss what matters here: a 30 MB one-line file is "+1 line", a binary is "+0".
/// </summary>
internal static class ChangeBytes
{
    /// <summary>Bytes added per changed path, measured in <paramref name="root"/> against <paramref name="baseCommit"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(ProcessRunner processes, string root, string baseCommit, IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var added = new Dictionary<string, long>(StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return added;
        }

        var input = string.Concat(changes.Select(c => $"{baseCommit}:{c.Path}\n"));
        var result = await processes.RunAsync(new ProcessSpec("git", ["cat-file", "--batch-check=%(objectsize)"], root) { StandardInput = input, Network = false }, cancellationToken);
        var before = result.StandardOutput.Split('\n');
        for (var i = 0; i < changes.Count; i++)
        {
            var file = new FileInfo(Path.Combine(root, changes[i].Path));
            var now = file.Exists && file.LinkTarget is null ? file.Length : 0;
            var was = i < before.Length && long.TryParse(before[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) ? size : 0;
            added[changes[i].Path] = Math.Max(now - was, 0);
        }

        return added;
    }
}
