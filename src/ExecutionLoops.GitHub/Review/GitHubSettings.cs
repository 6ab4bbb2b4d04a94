using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;

namespace ExecutionLoops.GitHub.Review;

/// <summary>Where pull requests go and how to reach them. The token comes from the environment only.</summary>
/// <param name="ApiUrl">REST base URL (GitHub, or GitHub Enterprise Server).</param>
/// <param name="Owner">Repository owner.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Token">The token (never printed, never put in a URL).</param>
/// <param name="Remote">The git remote to push mission branches to.</param>
/// <param name="Trusted">Author associations whose comments are heard (OWNER and COLLABORATOR by default: people with write access).</param>
internal sealed record GitHubSettings(Uri ApiUrl, string Owner, string Repository, string Token, string Remote, IReadOnlyCollection<string> Trusted)
{
    /// <summary>The associations heard by default: the people with write access (MEMBER need not have it).</summary>
    public static IReadOnlyList<string> DefaultTrusted { get; } = ["OWNER", "COLLABORATOR"];

    /// <summary>The Actions run page when running in GitHub Actions, linked from the pull request body.</summary>
    public string? RunUrl { get; init; }

    /// <summary>Reads <c>review.repository</c>, <c>review.api-url</c> and <c>review.remote</c>, falling back to the Actions environment.</summary>
    public static GitHubSettings From(LoopsWorkspace workspace, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Env(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var options = workspace.Config.ReviewOptions;
        var slug = options.GetValueOrDefault("repository") ?? Env("GITHUB_REPOSITORY");
        var parts = slug?.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 })
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.GitHubRepositoryUnknown, slug is null ? "The GitHub repository is not known." : $"'{slug}' is not owner/name.", "Set 'review: {repository: owner/name}' in .loops/config.yml, or run in GitHub Actions.", workspace.Config.SourcePath);
        }

        var token = Env("LOOPS_GITHUB_TOKEN") is { Length: > 0 } own ? own : Env("GITHUB_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.GitHubTokenMissing, "No token for the GitHub API.", "Set GITHUB_TOKEN (in Actions: env: GITHUB_TOKEN: ${{ github.token }}) or LOOPS_GITHUB_TOKEN.");
        }

        var api = options.GetValueOrDefault("api-url") ?? Env("GITHUB_API_URL") ?? "https://api.github.com/";
        var trusted = options.GetValueOrDefault("trusted")?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(a => a.ToUpperInvariant()).ToList() ?? DefaultTrusted;
        var runUrl = Env("GITHUB_RUN_ID") is { Length: > 0 } runId && Env("GITHUB_SERVER_URL") is { Length: > 0 } server
            ? $"{server.TrimEnd('/')}/{parts[0]}/{parts[1]}/actions/runs/{runId}"
            : null;
        return new GitHubSettings(new Uri(api.EndsWith('/') ? api : api + "/"), parts[0], parts[1], token, options.GetValueOrDefault("remote") ?? "origin", trusted.ToHashSet(StringComparer.Ordinal)) { RunUrl = runUrl };
    }
}
