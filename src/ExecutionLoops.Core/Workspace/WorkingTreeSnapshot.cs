namespace ExecutionLoops.Workspace;

/// <summary>
/// Records the working tree, untracked files included (ignored ones not), as a commit under a ref, and
/// restores it — without touching the index, HEAD, the stash list or any branch. A private index file
/// does the staging.
/// </summary>
internal sealed class WorkingTreeSnapshot(GitRepository git)
{
    /// <summary>Snapshots the working tree as a commit on top of HEAD and points <paramref name="reference"/> at it.</summary>
    public async Task<string> TakeAsync(string reference, string message, CancellationToken cancellationToken)
    {
        var index = Path.Combine(Path.GetTempPath(), $"loops-index-{Guid.NewGuid():N}");
        try
        {
            var head = await git.ResolveCommitAsync("HEAD", null, cancellationToken);
            if (head is not null)
            {
                await git.RunWithIndexAsync(index, ["read-tree", head], cancellationToken);
            }

            await git.RunWithIndexAsync(index, ["add", "--all", "--", "."], cancellationToken);
            var tree = (await git.RunWithIndexAsync(index, ["write-tree"], cancellationToken)).Trim();
            var commit = await git.CommitTreeAsync(tree, head is null ? [] : [head], message, cancellationToken);
            await git.RunCheckedAsync(["update-ref", reference, commit], null, cancellationToken);
            return commit;
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>
    /// Makes the working tree equal to <paramref name="snapshot"/>: only the files that differ are rewritten (the rest
    /// keep their timestamps, so builds stay incremental and IDEs do not reload), files added since are deleted.
    /// <paramref name="current"/> must be a snapshot of the present state (taken first, so nothing is lost).
    /// </summary>
    public async Task RestoreAsync(string snapshot, string current, CancellationToken cancellationToken)
    {
        var added = (await git.RunCheckedAsync(["diff", "--name-only", "-z", "--diff-filter=A", "--no-renames", snapshot, current], null, cancellationToken))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in added)
        {
            var full = Path.Combine(git.Root, path);
            if (File.Exists(full))
            {
                File.Delete(full);
            }
        }

        var index = Path.Combine(Path.GetTempPath(), $"loops-index-{Guid.NewGuid():N}");
        try
        {
            // checkout-index writes files from a private index holding the snapshot: the real index is untouched.
            var differing = await git.RunCheckedAsync(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=MDT", snapshot, current], null, cancellationToken);
            if (differing.Length > 0)
            {
                await git.RunWithIndexAsync(index, ["read-tree", snapshot], cancellationToken);
                await git.RunWithIndexAsync(index, ["checkout-index", "--force", "-z", "--stdin"], differing, cancellationToken);
            }
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>Files that differ between two snapshots (or commits).</summary>
    public async Task<IReadOnlyList<FileChange>> ChangesAsync(string from, string to, CancellationToken cancellationToken) =>
        await git.DiffCommitsAsync(from, to, cancellationToken);
}
