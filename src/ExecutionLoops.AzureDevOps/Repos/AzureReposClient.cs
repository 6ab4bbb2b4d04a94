using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// The Azure Repos calls loops makes, by their REST paths (Git pull requests, statuses, threads, iterations, commits;
/// identities; connection data), each naming the permission a refusal means. JSON stays JSON: the few fields read
/// are read where they are used.
/// </summary>
internal sealed class AzureReposClient(AzureDevOpsApi api, AzureReposSettings settings)
{
    /// <summary>Permission names as Azure DevOps shows them in a repository's security settings.</summary>
    public const string Read = "Read (Code: read)";

    /// <summary>What creating and updating pull requests, their statuses and comments needs.</summary>
    public const string ContributeToPullRequests = "Contribute to pull requests";

    /// <summary>What reading identities and group membership needs (a PAT's Identity (read) scope).</summary>
    public const string ReadIdentities = "Identity (read)";

    private Uri RepositoryUrl => new(settings.CollectionUrl, $"{Uri.EscapeDataString(settings.Project)}/_apis/git/repositories/{Uri.EscapeDataString(settings.Repository)}/");

    /// <summary>The active pull requests from a branch.</summary>
    public async Task<IReadOnlyList<JsonObject>> ActivePullRequestsAsync(string branch, CancellationToken cancellationToken)
    {
        var url = AzureDevOpsApi.Url(RepositoryUrl, "pullrequests", ("searchCriteria.sourceRefName", $"refs/heads/{branch}"), ("searchCriteria.status", "active"));
        var answer = await api.SendAsync(HttpMethod.Get, url, null, "list pull requests", Read, cancellationToken);
        return (answer["value"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>A pull request with its whole description (listings cut descriptions short), or null.</summary>
    public async Task<JsonObject?> PullRequestAsync(int id, CancellationToken cancellationToken) =>
        await api.GetAsync(AzureDevOpsApi.Url(RepositoryUrl, $"pullrequests/{id.ToString(CultureInfo.InvariantCulture)}"), "read the pull request", Read, cancellationToken) as JsonObject;

    /// <summary>Creates a pull request; null when one for the branches already exists (409).</summary>
    public async Task<JsonObject?> CreatePullRequestAsync(JsonObject body, CancellationToken cancellationToken) =>
        await api.SendAsync(HttpMethod.Post, AzureDevOpsApi.Url(RepositoryUrl, "pullrequests"), body, "create the pull request", ContributeToPullRequests, HttpStatusCode.Conflict, cancellationToken) as JsonObject;

    /// <summary>Updates a pull request's title, description, draft state, status or auto-complete.</summary>
    public async Task<JsonObject> UpdatePullRequestAsync(int id, JsonObject changes, string what, CancellationToken cancellationToken) =>
        (JsonObject)await api.SendAsync(HttpMethod.Patch, AzureDevOpsApi.Url(RepositoryUrl, $"pullrequests/{Id(id)}"), changes, what, ContributeToPullRequests, cancellationToken);

    /// <summary>The names of a pull request's labels.</summary>
    public async Task<IReadOnlyList<string>> LabelsAsync(int id, CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(HttpMethod.Get, AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/labels"), null, "read labels", Read, cancellationToken);
        return (answer["value"] as JsonArray ?? []).Select(l => (string?)l?["name"]).OfType<string>().ToList();
    }

    /// <summary>Adds a label (a tag) to a pull request.</summary>
    public Task AddLabelAsync(int id, string name, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/labels"), new JsonObject { ["name"] = name }, $"add the label '{name}'", ContributeToPullRequests, cancellationToken);

    /// <summary>Posts a pull request status (a newer one with the same genre and name replaces it).</summary>
    public Task SetStatusAsync(int id, JsonObject status, string what, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/statuses"), status, what, ContributeToPullRequests, cancellationToken);

    /// <summary>The pull request's comment threads.</summary>
    public async Task<IReadOnlyList<JsonObject>> ThreadsAsync(int id, CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(HttpMethod.Get, AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/threads"), null, "read comment threads", Read, cancellationToken);
        return (answer["value"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>Starts a new thread with one comment.</summary>
    public Task CommentAsync(int id, string content, CancellationToken cancellationToken) =>
        api.SendAsync(
            HttpMethod.Post,
            AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/threads"),
            new JsonObject { ["comments"] = new JsonArray(new JsonObject { ["parentCommentId"] = 0, ["content"] = content, ["commentType"] = "text" }), ["status"] = "active" },
            "comment on the pull request",
            ContributeToPullRequests,
            cancellationToken);

    /// <summary>Answers a comment in its thread.</summary>
    public Task ReplyAsync(int id, int threadId, int parentCommentId, string content, CancellationToken cancellationToken) =>
        api.SendAsync(
            HttpMethod.Post,
            AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/threads/{Id(threadId)}/comments"),
            new JsonObject { ["parentCommentId"] = parentCommentId, ["content"] = content, ["commentType"] = "text" },
            "reply in a comment thread",
            ContributeToPullRequests,
            cancellationToken);

    /// <summary>When the source branch was last pushed to: the newest iteration's creation time, or null.</summary>
    public async Task<DateTimeOffset?> LastPushAsync(int id, CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(HttpMethod.Get, AzureDevOpsApi.Url(RepositoryUrl, $"pullRequests/{Id(id)}/iterations"), null, "read the pull request's iterations", Read, cancellationToken);
        return (answer["value"] as JsonArray ?? []).Select(i => Date(i?["createdDate"])).Where(d => d is not null).Max();
    }

    /// <summary>A commit's message (its "comment"), or null when the commit is not known.</summary>
    public async Task<string?> CommitMessageAsync(string commitId, CancellationToken cancellationToken) =>
        (await api.GetAsync(AzureDevOpsApi.Url(RepositoryUrl, $"commits/{Uri.EscapeDataString(commitId)}"), "read a commit", Read, cancellationToken))?["comment"]?.GetValue<string>();

    /// <summary>The id of the identity the token authenticates as (for auto-complete).</summary>
    public async Task<string> AuthenticatedUserIdAsync(CancellationToken cancellationToken)
    {
        // connectionData is the location service's unversioned endpoint: it takes no api-version.
        var answer = await api.SendAsync(HttpMethod.Get, new Uri(settings.CollectionUrl, "_apis/connectionData"), null, "read the token's identity", Read, cancellationToken);
        return answer["authenticatedUser"]?["id"]?.GetValue<string>()
            ?? throw LoopsException.Infrastructure(DiagnosticCodes.AzureDevOpsCallFailed, "Azure DevOps API: the connection data names no authenticated user.", "Check the token.");
    }

    /// <summary>Identities found by a search (<c>General</c>: display name, account name or unique name).</summary>
    public Task<IReadOnlyList<JsonObject>> SearchIdentitiesAsync(string filterValue, CancellationToken cancellationToken) =>
        IdentitiesAsync(cancellationToken, ("searchFilter", "General"), ("filterValue", filterValue), ("queryMembership", "Direct"));

    /// <summary>Identities by their ids (storage keys), as comments and reviewers name them.</summary>
    public Task<IReadOnlyList<JsonObject>> IdentitiesByIdAsync(IEnumerable<string> ids, CancellationToken cancellationToken) =>
        IdentitiesAsync(cancellationToken, ("identityIds", string.Join(',', ids)), ("queryMembership", "None"));

    /// <summary>Identities by their descriptors, with their direct members (to expand nested groups).</summary>
    public Task<IReadOnlyList<JsonObject>> IdentitiesByDescriptorAsync(IEnumerable<string> descriptors, CancellationToken cancellationToken) =>
        IdentitiesAsync(cancellationToken, ("descriptors", string.Join(',', descriptors)), ("queryMembership", "Direct"));

    private async Task<IReadOnlyList<JsonObject>> IdentitiesAsync(CancellationToken cancellationToken, params (string, string?)[] query)
    {
        var answer = await api.SendAsync(HttpMethod.Get, AzureDevOpsApi.Url(settings.IdentityUrl, "_apis/identities", query), null, "read identities", ReadIdentities, cancellationToken);
        return (answer["value"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>A date field as Azure sends it (ISO 8601).</summary>
    public static DateTimeOffset? Date(JsonNode? node) =>
        node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
