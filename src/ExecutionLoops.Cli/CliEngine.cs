using System.CommandLine;
using ExecutionLoops.GitHub;

namespace ExecutionLoops.Cli;

/// <summary>Opens the engine with the review targets this host adds (GitHub) beside Core's local queue.</summary>
internal static class CliEngine
{
    public static Task<LoopsEngine> OpenAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken) =>
        OpenAsync(GlobalOptions.RepoPath(context, parse), cancellationToken);

    public static Task<LoopsEngine> OpenAsync(string repository, CancellationToken cancellationToken) =>
        LoopsEngine.OpenAsync(repository, cancellationToken, hostReviewTargets: GitHubReviewTargets.Factories);
}
