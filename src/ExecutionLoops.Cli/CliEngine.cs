using System.CommandLine;
using ExecutionLoops.AzureDevOps;
using ExecutionLoops.Execution;
using ExecutionLoops.GitHub;

namespace ExecutionLoops.Cli;

/// <summary>Opens the engine with the parts the host assemblies register (GitHub, Azure DevOps) beside Core's own.</summary>
internal static class CliEngine
{
    /// <summary>What the CLI adds to Core's registry.</summary>
    public static LoopsExtensions Extensions { get; } = GitHubReviewTargets.Extensions.With(AzureDevOpsParts.Extensions);

    public static Task<LoopsEngine> OpenAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken) =>
        context.Trace.TimeAsync("engine open", () => LoopsEngine.OpenAsync(GlobalOptions.RepoPath(context, parse), cancellationToken, processes: context.Trace.Enabled ? context.Trace.Wrap(new Processes.ProcessRunner()) : null, extensions: context.Extensions));

    public static Task<LoopsEngine> OpenAsync(string repository, CancellationToken cancellationToken) =>
        LoopsEngine.OpenAsync(repository, cancellationToken, extensions: Extensions);
}
