namespace ExecutionLoops.Execution;

/// <summary>
/// The layout of the state directory (default <c>.loops/state/</c>, git-ignored): run journals,
/// mission logs and reports, the local review queue and the run lock. Worktrees live outside the
/// repository so the user's builds never glob into them.
/// </summary>
public sealed record StatePaths(string Root, string WorktreeRoot)
{
    /// <summary>Builds the layout for a repository.</summary>
    public static StatePaths For(string repositoryRoot, string stateDirectory)
    {
        var root = Path.GetFullPath(Path.Combine(repositoryRoot, stateDirectory));
        var name = new DirectoryInfo(repositoryRoot).Name;
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(repositoryRoot))))[..10].ToLowerInvariant();
        var worktrees = Path.Combine(Path.GetTempPath(), "loops-worktrees", $"{name}-{hash}");
        return new StatePaths(root, worktrees);
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
