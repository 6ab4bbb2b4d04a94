using System.Globalization;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Review;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// The conversation on a mission's Azure Repos pull request. Feedback is what trusted identities wrote in the pull
/// request's comment threads since loops last pushed (the newest iteration's time), system comments and loops' own
/// left out. Every comment lives in a thread, so every answer goes into the thread it answers.
/// </summary>
internal sealed class AzureReposConversation(AzureReposClient client, AzureReposSettings settings) : IReviewConversation
{
    // A comment's id is only unique within its thread; loops' comment id packs both.
    private const long ThreadFactor = 100_000;
    private readonly AzureReposTrust _trust = new(client, settings.Trusted);

    /// <inheritdoc />
    public Task<FeedbackRound> ReadFeedbackAsync(string itemId, CancellationToken cancellationToken) => ReadFeedbackAsync(Number(itemId), cancellationToken);

    /// <summary>Reads what trusted identities said on a pull request since loops last pushed to it.</summary>
    public async Task<FeedbackRound> ReadFeedbackAsync(int id, CancellationToken cancellationToken)
    {
        var pull = await RequireAsync(id, cancellationToken);
        var missionId = AzureReposMarkers.MissionIn((string?)pull["description"])
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, $"Pull request !{id} was not opened by ExecutionLoops.", "Run 'loops feedback' only for pull requests of mission branches.");

        // The description can be edited by anyone who can comment: the branch must be the mission's own.
        var source = (string?)pull["sourceRefName"];
        if (source != $"refs/heads/loops/{missionId}")
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, $"Pull request !{id} names mission '{missionId}' but its source branch is '{source}', not 'refs/heads/loops/{missionId}'; nothing done.", "Run 'loops feedback' only for pull requests of mission branches.");
        }

        // A pull request from a fork carries forkSource: never acted on with this repository's token.
        var fromFork = pull["forkSource"] is JsonObject;
        var since = await client.LastPushAsync(id, cancellationToken) ?? DateTimeOffset.MinValue;
        var comments = new List<ReviewComment>();
        var authors = new Dictionary<long, string>();
        foreach (var thread in await client.ThreadsAsync(id, cancellationToken))
        {
            if ((bool?)thread["isDeleted"] == true || thread["id"]?.GetValue<int>() is not { } threadId)
            {
                continue;
            }

            foreach (var comment in (thread["comments"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var content = (string?)comment["content"] ?? "";
                var at = AzureReposClient.Date(comment["publishedDate"]);
                if ((bool?)comment["isDeleted"] == true || ((string?)comment["commentType"] ?? "text") != "text" || at is null || at <= since || content.Contains(AzureReposMarkers.Comment, StringComparison.Ordinal))
                {
                    continue;
                }

                var key = (threadId * ThreadFactor) + (comment["id"]?.GetValue<int>() ?? 0);
                var author = comment["author"];
                authors[key] = (string?)author?["id"] ?? "";
                comments.Add(new ReviewComment(key, Plain((string?)author?["uniqueName"] ?? (string?)author?["displayName"] ?? "?"), null, content, at.Value, HasThread: true));
            }
        }

        var trusted = new HashSet<long>();
        foreach (var (key, authorId) in authors)
        {
            if (authorId.Length > 0 && await _trust.IsTrustedAsync(authorId, cancellationToken))
            {
                trusted.Add(key);
            }
        }

        return ReviewCommentClassifier.Classify(id.ToString(CultureInfo.InvariantCulture), $"pull request !{id}", missionId, fromFork, comments, c => trusted.Contains(c.Id));
    }

    /// <inheritdoc />
    public async Task ReplyAsync(FeedbackRound round, string commit, CancellationToken cancellationToken)
    {
        var id = Number(round.ItemId);
        var text = $"{round.AddressedIn(commit)} {AzureReposMarkers.Comment}";
        foreach (var thread in round.Addressed.GroupBy(c => c.Id / ThreadFactor))
        {
            await client.ReplyAsync(id, (int)thread.Key, (int)(thread.First().Id % ThreadFactor), text, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task CloseAsync(string itemId, CancellationToken cancellationToken)
    {
        var id = Number(itemId);
        if ((string?)(await RequireAsync(id, cancellationToken))["status"] == "active")
        {
            await client.UpdatePullRequestAsync(id, new JsonObject { ["status"] = "abandoned" }, "abandon the pull request", cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task SetDraftAsync(string itemId, bool draft, CancellationToken cancellationToken)
    {
        var id = Number(itemId);
        if ((bool?)(await RequireAsync(id, cancellationToken))["isDraft"] != draft)
        {
            await client.UpdatePullRequestAsync(id, new JsonObject { ["isDraft"] = draft }, draft ? "mark the pull request as a draft" : "publish the draft pull request", cancellationToken);
        }
    }

    /// <summary>
    /// A name as loops prints it: anyone can set a display name, and the agent runs a logging command found anywhere
    /// in a log line, so '##' never reaches the log from a name.
    /// </summary>
    private static string Plain(string name) => name.Replace("##", "#\u200B#", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private async Task<JsonObject> RequireAsync(int id, CancellationToken cancellationToken) =>
        await client.PullRequestAsync(id, cancellationToken)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemNotFound, $"{settings.Project}/{settings.Repository} has no pull request !{id}.", "Pass the number of a mission's pull request, e.g. loops feedback --pr 12.");

    private static int Number(string itemId) =>
        int.TryParse(itemId.TrimStart('!'), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemNotFound, $"'{itemId}' is not a pull request number.", "Pass the pull request's number, e.g. loops feedback --pr 12.");
}
