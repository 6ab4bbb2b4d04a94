namespace ExecutionLoops.Execution;

/// <summary>
/// The layout of the state directory (default <c>.loops/state/</c>, git-ignored): run journals,
/// mission logs and reports, the local review queue and the run lock. Worktrees live outside the
/// repository so the user's builds never glob into them.
/// </summary>
/// <param name="Root">The state directory.</param>
/// <param name="RepositoryRoot">The repository's root, which names the worktrees' folder.</param>
public sealed record StatePaths(string Root, string RepositoryRoot)
{
    /// <summary>Builds the layout for a repository.</summary>
    public static StatePaths For(string repositoryRoot, string stateDirectory) =>
        new(Path.GetFullPath(Path.Combine(repositoryRoot, stateDirectory)), Path.GetFullPath(repositoryRoot));

    /// <summary>
    /// The folder of the missions' worktrees, outside the repository: named after it and a hash of its path. Worked out
    /// when asked, not when the engine opens: the hash loads the platform's crypto library, which cost every pair call
    /// (none of which needs a worktree) about 7 ms.
    /// </summary>
    public string WorktreeRoot
    {
        get
        {
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RepositoryRoot)))[..10].ToLowerInvariant();
            return Path.Combine(Path.GetTempPath(), "loops-worktrees", $"{new DirectoryInfo(RepositoryRoot).Name}-{hash}");
        }
    }

    /// <summary>Append-only run journals, one JSON-lines file per run.</summary>
    public string Journal => Path.Combine(Root, "journal");

    /// <summary>Per-run folders with mission logs and reports.</summary>
    public string Runs => Path.Combine(Root, "runs");

    /// <summary>The local review queue.</summary>
    public string Reviews => Path.Combine(Root, "reviews");

    /// <summary>The run lock file.</summary>
    public string LockFile => Path.Combine(Root, "run.lock");

    /// <summary>The worktree directory of a mission.</summary>
    public string WorktreeFor(string missionId) => Path.Combine(WorktreeRoot, missionId);
}
