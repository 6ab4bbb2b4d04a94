namespace ExecutionLoops.Workspace;

/// <summary>
/// The content of a change: each changed path with its blob id (or none, when deleted). Taken when the gates start
/// and again when they end, it shows whether a gate's process (a build target or a test the agent wrote) rewrote
/// the change after other gates had checked it: then the commit would hold content no gate saw.
/// </summary>
internal sealed class ChangeFingerprint
{
    private readonly IReadOnlyDictionary<string, string> _blobs;

    private ChangeFingerprint(IReadOnlyDictionary<string, string> blobs) => _blobs = blobs;

    /// <summary>Fingerprints the worktree's change against <paramref name="baseCommit"/>, build outputs excluded.</summary>
    public static async Task<ChangeFingerprint> TakeAsync(GitRepository git, string worktree, string baseCommit, CancellationToken cancellationToken)
    {
        var changes = await git.DiffWorkingTreeAsync(worktree, baseCommit, cancellationToken);
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        var present = changes.Select(c => c.Path).Where(p => File.Exists(Path.Combine(worktree, p))).ToList();
        foreach (var path in changes.Select(c => c.Path).Except(present, StringComparer.Ordinal))
        {
            blobs[path] = "deleted";
        }

        foreach (var chunk in present.Chunk(200))
        {
            // --no-filters: the repository's clean filters (its config) never run here, only the bytes are hashed.
            var ids = (await git.RunCheckedAsync(["hash-object", "--no-filters", "--", .. chunk], worktree, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < chunk.Length; i++)
            {
                blobs[chunk[i]] = ids[i];
            }
        }

        return new ChangeFingerprint(blobs);
    }

    /// <summary>The paths whose content differs between the two fingerprints (added, removed or rewritten), sorted.</summary>
    public IReadOnlyList<string> Differences(ChangeFingerprint later) =>
        _blobs.Keys.Union(later._blobs.Keys, StringComparer.Ordinal)
            .Where(path => _blobs.GetValueOrDefault(path) != later._blobs.GetValueOrDefault(path))
            .Order(StringComparer.Ordinal)
            .ToList();
}
