namespace ExecutionLoops.Agents;

/// <summary>
/// The files of a worktree (path, size, modification time), without <c>.git</c> and build outputs: taken before and
/// after an agent CLI runs, it tells whether the CLI changed anything, whatever it says.
/// </summary>
internal sealed class WorktreeSnapshot
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "bin", "obj" };
    private readonly Dictionary<string, (long Length, DateTime Written)> _files;

    private WorktreeSnapshot(Dictionary<string, (long, DateTime)> files) => _files = files;

    /// <summary>The files under <paramref name="root"/> now.</summary>
    public static WorktreeSnapshot Take(string root)
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                {
                    if (!Skipped.Contains(child.Name))
                    {
                        pending.Push(child);
                    }
                }
                else
                {
                    files[entry.FullName] = (entry is FileInfo file ? file.Length : -1, entry.LastWriteTimeUtc);
                }
            }
        }

        return new WorktreeSnapshot(files);
    }

    /// <summary>True when both hold the same files with the same sizes and times.</summary>
    public bool SameAs(WorktreeSnapshot other) => _files.Count == other._files.Count && _files.All(f => other._files.TryGetValue(f.Key, out var o) && o == f.Value);
}
