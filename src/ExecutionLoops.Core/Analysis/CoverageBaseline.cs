using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Analysis;

/// <summary>
/// The base commit's coverage, measured once and cached beside the mission worktrees (by commit), so the
/// tests toil and the coverage gate of every mission on that base share one measurement.
/// </summary>
internal static class CoverageBaseline
{
    /// <summary>Where the baseline of <paramref name="baseCommit"/> is cached.</summary>
    public static string CachePath(string worktree, string baseCommit) => BaseCommitWorktree.CacheFile(worktree, baseCommit, "coverage");

    /// <summary>The cached baseline, or null.</summary>
    public static CoverageReport? Cached(string worktree, string baseCommit) =>
        File.Exists(CachePath(worktree, baseCommit)) ? CoverageReport.FromJson(File.ReadAllText(CachePath(worktree, baseCommit))) : null;

    /// <summary>Stores a baseline.</summary>
    public static void Store(string worktree, string baseCommit, CoverageReport report)
    {
        var path = CachePath(worktree, baseCommit);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, report.ToJson());
    }

    /// <summary>The baseline: cached, or measured in a detached worktree of the base commit.</summary>
    public static async Task<CoverageReport?> GetAsync(ProcessRunner processes, string worktree, string baseCommit, string solution, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        if (Cached(worktree, baseCommit) is { } cached)
        {
            return cached;
        }

        var relativeSolution = Path.GetRelativePath(worktree, solution);
        var (report, _) = await BaseCommitWorktree.RunAsync(worktree, baseCommit, processes, folder => CoverageReport.CollectAsync(processes, Path.GetTempPath(), folder, Path.Combine(folder, relativeSolution), timeout, log, cancellationToken), cancellationToken);
        if (report is not null)
        {
            // Paths are relative to the folder measured, so the report fits the mission worktree as it is.
            Store(worktree, baseCommit, report);
        }

        return report;
    }
}
