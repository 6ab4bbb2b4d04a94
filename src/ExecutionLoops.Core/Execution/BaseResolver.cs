using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>Finds the commit missions start from: the configured base branch, else the current branch's HEAD.</summary>
internal static class BaseResolver
{
    public static async Task<(string? Branch, string Commit)> ResolveAsync(GitRepository git, string? configuredBranch, CancellationToken cancellationToken)
    {
        if (await git.ResolveCommitAsync("HEAD", null, cancellationToken) is null)
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.NoCommits, $"The repository at '{git.Root}' has no commits yet.", "Commit your code first: delegation works from committed history.");
        }

        if (configuredBranch is not null)
        {
            var commit = await git.ResolveCommitAsync($"refs/heads/{configuredBranch}", null, cancellationToken);
            return commit is null
                ? throw LoopsException.InvalidInput(DiagnosticCodes.BaseBranchMissing, $"The base branch '{configuredBranch}' does not exist.", "Fix 'base-branch' in .loops/config.yml or create the branch.", ".loops/config.yml")
                : (configuredBranch, commit);
        }

        var current = await git.CurrentBranchAsync(cancellationToken);
        var head = (await git.ResolveCommitAsync("HEAD", null, cancellationToken))!;
        return (current, head);
    }
}
