using ExecutionLoops.Processes;

namespace ExecutionLoops.Workspace;

/// <summary>
/// Measurements of the base commit (analyzer findings, coverage) that gates compare a mission against: a
/// short-lived detached worktree beside the mission's, and a per-commit cache so every mission on the same base
/// shares one measurement.
/// </summary>
internal static class BaseCommitWorktree
{
    /// <summary>The cache file of one measurement of <paramref name="commit"/>.</summary>
    public static string CacheFile(string missionWorktree, string commit, string measurement) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(missionWorktree))!, ".baselines", $"{commit}.{measurement}.json");

    /// <summary>Runs <paramref name="work"/> in a detached worktree of <paramref name="commit"/>, removed afterwards.</summary>
    public static async Task<T> RunAsync<T>(string missionWorktree, string commit, ProcessRunner processes, Func<string, Task<T>> work, CancellationToken cancellationToken)
    {
        var git = await GitRepository.DiscoverAsync(missionWorktree, processes, cancellationToken);
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(missionWorktree))!, $".base-{commit[..12]}-{Guid.NewGuid():N}");
        await git.AddDetachedWorktreeAsync(folder, commit, cancellationToken);
        try
        {
            return await work(folder);
        }
        finally
        {
            await git.RemoveWorktreeAsync(folder, CancellationToken.None);
        }
    }
}
