using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using Octokit;
using Octokit.Internal;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// The GitHub API as loops calls it: one Octokit client whose requests honour the caller's cancellation token,
/// every call through the retry policy (<see cref="GitHubResilience"/>), and GraphQL for what REST cannot do.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The HTTP client lives as long as the review target, which lives for one command, as Octokit's own client always did.")]
internal sealed class GitHubApi
{
    private readonly IGitHubClient _client;
    private readonly CallCancellationHttpClient _http;
    private readonly GitHubResilience _resilience;
    private readonly Uri _graphQlBase;

    /// <summary>Connects with the settings' token; <paramref name="maxRetryDelay"/> caps waits for rate limits.</summary>
    public GitHubApi(GitHubSettings settings, TimeSpan maxRetryDelay, TimeProvider clock)
    {
        _http = new CallCancellationHttpClient(new HttpClientAdapter(HttpMessageHandlerFactory.CreateDefault));
        var credentials = new InMemoryCredentialStore(new Credentials(settings.Token));
        _client = new GitHubClient(new Connection(new ProductHeaderValue("ExecutionLoops"), RestBase(settings.ApiUrl), credentials, _http, new SimpleJsonSerializer()));
        _resilience = new GitHubResilience(maxRetryDelay, clock);
        _graphQlBase = GraphQlBase(settings.ApiUrl);
    }

    /// <summary>Runs a REST call with retries; <paramref name="permission"/> names what a 403 means (e.g. "pull-requests: write").</summary>
    public Task<T> CallAsync<T>(string what, string permission, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        _resilience.RunAsync(what, permission, attempt => _http.RunAsync(() => call(_client), attempt), cancellationToken);

    /// <summary>Runs a GraphQL query or mutation with retries.</summary>
    /// <exception cref="LoopsException">EL4002 when GraphQL reports an error.</exception>
    public async Task GraphQlAsync(string what, string permission, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString();

        // The token parameter stays empty: the connection's HTTP client cancels this request like every other.
        var response = await CallAsync(what, permission, client => client.Connection.Post<object>(new Uri("graphql", UriKind.Relative), body, "application/json", "application/json", _graphQlBase, CancellationToken.None), cancellationToken);

        // GraphQL answers 200 when a mutation fails; the failure is in its errors list.
        if (response.HttpResponse.Body is string text && JsonNode.Parse(text)?["errors"]?[0]?["message"]?.GetValue<string>() is { } error)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PublishFailed, $"GitHub API: {what} failed: {error}", $"Check that the token has '{permission}'.");
        }
    }

    /// <summary>Runs a GraphQL query with retries and returns its <c>data</c>.</summary>
    /// <exception cref="LoopsException">EL4002 when GraphQL reports an error.</exception>
    public async Task<JsonNode?> GraphQlQueryAsync(string what, string permission, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString();
        var response = await CallAsync(what, permission, client => client.Connection.Post<object>(new Uri("graphql", UriKind.Relative), body, "application/json", "application/json", _graphQlBase, CancellationToken.None), cancellationToken);
        var json = response.HttpResponse.Body is string text ? JsonNode.Parse(text) : null;
        if (json?["errors"]?[0]?["message"]?.GetValue<string>() is { } error)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PublishFailed, $"GitHub API: {what} failed: {error}", $"Check that the token has '{permission}'.");
        }

        return json?["data"];
    }

    // Octokit's GitHubClient(…, baseAddress) constructor adds /api/v3/ for GitHub Enterprise Server; a connection built here must too.
    private static Uri RestBase(Uri api) => IsGitHubDotCom(api) ? GitHubClient.GitHubApiUrl : new Uri(api, "/api/v3/");

    // GraphQL is at api.github.com/graphql, and at /api/graphql on GitHub Enterprise Server.
    private static Uri GraphQlBase(Uri api) => IsGitHubDotCom(api) ? GitHubClient.GitHubApiUrl : new Uri(api, "/api/");

    private static bool IsGitHubDotCom(Uri api) => api.Host is "github.com" or "api.github.com";
}
