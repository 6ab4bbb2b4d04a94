using System.Diagnostics.CodeAnalysis;
using Octokit;
using Octokit.Internal;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// The GitHub API as loops calls it: one Octokit client whose requests honour the caller's cancellation token,
/// and every call through the retry policy (<see cref="GitHubResilience"/>).
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The HTTP client lives as long as the review target, which lives for one command, as Octokit's own client always did.")]
internal sealed class GitHubApi
{
    private readonly IGitHubClient _client;
    private readonly CallCancellationHttpClient _http;
    private readonly GitHubResilience _resilience;

    /// <summary>Connects with the settings' token; <paramref name="maxRetryDelay"/> caps waits for rate limits.</summary>
    public GitHubApi(GitHubSettings settings, TimeSpan maxRetryDelay)
    {
        _http = new CallCancellationHttpClient(new HttpClientAdapter(HttpMessageHandlerFactory.CreateDefault));
        var credentials = new InMemoryCredentialStore(new Credentials(settings.Token));
        _client = new GitHubClient(new Connection(new ProductHeaderValue("ExecutionLoops"), RestBase(settings.ApiUrl), credentials, _http, new SimpleJsonSerializer()));
        _resilience = new GitHubResilience(maxRetryDelay);
    }

    /// <summary>Runs a REST call with retries; <paramref name="permission"/> names what a 403 means (e.g. "pull-requests: write").</summary>
    public Task<T> CallAsync<T>(string what, string permission, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        _resilience.RunAsync(what, permission, attempt => _http.RunAsync(() => call(_client), attempt), cancellationToken);

    // Octokit's GitHubClient(…, baseAddress) constructor adds /api/v3/ for GitHub Enterprise Server; a connection built here must too.
    private static Uri RestBase(Uri api) => IsGitHubDotCom(api) ? GitHubClient.GitHubApiUrl : new Uri(api, "/api/v3/");

    private static bool IsGitHubDotCom(Uri api) => api.Host is "github.com" or "api.github.com";
}
