namespace ExecutionLoops.Workspace;

/// <summary>
/// Records the working tree, untracked files included (ignored ones not), as a commit under a ref, and
/// restores it — without touching the index, HEAD, the stash list or any branch. A private index file
/// does the staging.
/// </summary>
internal sealed class WorkingTreeSnapshot(GitRepository git)
{
    /// <summary>Snapshots the working tree as a commit on top of HEAD and points <paramref name="reference"/> at it.</summary>
    /// <param name="reference">The ref to point at the snapshot.</param>
    /// <param name="message">The snapshot commit's message.</param>
    /// <param name="cancellationToken">Cancels the git calls.</param>
    /// <param name="keptIndex">
    /// A private index file kept between snapshots (a pair session's), or null for a throwaway one. Kept, it holds git's
    /// stat cache of the previous snapshot: <c>git add --all</c> then hashes only the files whose stat data changed, so a
    /// snapshot costs in proportion to what changed instead of rehashing the whole tree.
    /// </param>
    public async Task<string> TakeAsync(string reference, string message, CancellationToken cancellationToken, string? keptIndex = null) =>
        (await SnapshotAsync(reference, message, cancellationToken, keptIndex)).Commit;

    /// <summary>Like <see cref="TakeAsync"/>, with the snapshot's tree; <paramref name="reference"/> null points no ref at it (the caller does).</summary>
    /// <param name="reference">The ref to point at a new snapshot, or null.</param>
    /// <param name="message">The snapshot commit's message.</param>
    /// <param name="cancellationToken">Cancels the git calls.</param>
    /// <param name="keptIndex">See <see cref="TakeAsync"/>.</param>
    /// <param name="unchanged">
    /// An earlier snapshot (a pair session's last checkpoint): when the working tree's tree and HEAD are still the ones it
    /// recorded, it is returned as it is (<see cref="WorkingTreeState.Reused"/>), with no new commit and no ref, since a
    /// second commit of the same tree on the same parent would only differ in its time stamp.
    /// </param>
    public async Task<WorkingTreeState> SnapshotAsync(string? reference, string message, CancellationToken cancellationToken, string? keptIndex = null, WorkingTreeState? unchanged = null)
    {
        var head = await git.ResolveHeadAsync(cancellationToken);
        // Another process of the same session holding the kept index (its index.lock) must not make this one fail.
        var throwaway = keptIndex is null || File.Exists(keptIndex + ".lock");
        var index = throwaway ? Path.Combine(Path.GetTempPath(), $"loops-index-{Guid.NewGuid():N}") : keptIndex!;
        try
        {
            if (throwaway)
            {
                if (head is not null)
                {
                    await git.RunWithIndexAsync(index, ["read-tree", head], cancellationToken);
                }
            }
            else
            {
                await SeedAsync(index, head, cancellationToken);
            }

            await git.RunWithIndexAsync(index, ["add", "--all", "--", "."], cancellationToken);
            var tree = (await git.RunWithIndexAsync(index, ["write-tree"], cancellationToken)).Trim();
            if (unchanged is { Tree: { } lastTree } && lastTree == tree && unchanged.Head == head)
            {
                return unchanged with { Reused = true };
            }

            var commit = await git.CommitTreeAsync(tree, head is null ? [] : [head], message, cancellationToken);
            if (reference is not null)
            {
                await git.RunCheckedAsync(["update-ref", reference, commit], null, cancellationToken);
            }

            return new WorkingTreeState(commit, tree, head);
        }
        finally
        {
            if (throwaway)
            {
                File.Delete(index);
            }
        }
    }

    /// <summary>
    /// Bases a kept index on HEAD, as a throwaway one is (so tracked files the .gitignore matches stay in the snapshot):
    /// read once when the index is new, and again only when HEAD moved since (the file beside it records the HEAD it
    /// holds). <c>read-tree -m</c> with one tree keeps the stat data of every entry whose content matches, so moving
    /// HEAD costs the files that differ, not the tree.
    /// </summary>
    private async Task SeedAsync(string index, string? head, CancellationToken cancellationToken)
    {
        var headFile = index + ".head";
        var recorded = File.Exists(index) && File.Exists(headFile) ? (await File.ReadAllTextAsync(headFile, cancellationToken)).Trim() : null;
        if (recorded is not null && recorded == (head ?? ""))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(index)!);
        await git.RunWithIndexAsync(index, head is null ? ["read-tree", "--empty"] : ["read-tree", "-m", head], cancellationToken);
        await File.WriteAllTextAsync(headFile, head ?? "", cancellationToken);
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
        from == to ? [] : await git.DiffCommitsAsync(from, to, cancellationToken);
}

/// <summary>A snapshot of the working tree: its commit, that commit's tree and parent.</summary>
/// <param name="Commit">The snapshot commit.</param>
/// <param name="Tree">Its tree: equal trees are equal working trees, whenever they were taken; null when not recorded.</param>
/// <param name="Head">HEAD when it was taken (the commit's parent); null when HEAD was unborn.</param>
internal sealed record WorkingTreeState(string Commit, string? Tree, string? Head)
{
    /// <summary>True when this is an earlier snapshot, returned because nothing changed since.</summary>
    public bool Reused { get; init; }
}
