using System.Globalization;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Review;
using Octokit;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// The conversation on a mission's pull request. Feedback is what people whose association is trusted wrote in the
/// conversation, in reviews and on lines since loops last pushed (the head commit's date), loops' own comments
/// left out. Line comments are answered in their threads, the rest once on the pull request. Draft and ready go
/// through GraphQL, since REST cannot change them.
/// </summary>
internal sealed class GitHubPullRequestConversation(GitHubApi api, GitHubSettings settings) : IReviewConversation
{
    /// <inheritdoc />
    public Task<FeedbackRound> ReadFeedbackAsync(string itemId, CancellationToken cancellationToken) =>
        ReadFeedbackAsync(Number(itemId), cancellationToken);

    /// <summary>Reads what trusted reviewers said on a pull request since loops last pushed to it.</summary>
    /// <exception cref="LoopsException">EL4002 when the pull request is not one of loops'.</exception>
    public async Task<FeedbackRound> ReadFeedbackAsync(int number, CancellationToken cancellationToken)
    {
        var pull = await GetAsync(number, cancellationToken);
        var missionId = PullRequestMarkers.MissionIn(pull.Body)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, $"Pull request #{number} was not opened by ExecutionLoops.", "Run 'loops feedback' only for pull requests of mission branches.");

        // The mission named in the body must be the one whose branch this is: a body can be edited by anyone who can comment.
        if (pull.Head?.Ref != $"loops/{missionId}")
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, $"Pull request #{number} names mission '{missionId}' but its head branch is '{pull.Head?.Ref}', not 'loops/{missionId}'; nothing done.", "Run 'loops feedback' only for pull requests of mission branches.");
        }

        // A head repository that is not this one, or that is gone (a deleted fork), is a fork: never acted on.
        var fromFork = pull.Head?.Repository is not { } head || !string.Equals(head.FullName, $"{settings.Owner}/{settings.Repository}", StringComparison.OrdinalIgnoreCase);
        var since = (await api.CallAsync("read the head commit", "contents: read", client => client.Git.Commit.Get(settings.Owner, settings.Repository, pull.Head!.Sha), cancellationToken)).Committer.Date;
        var comments = await CommentsAsync(number, cancellationToken);
        return ReviewCommentClassifier.Classify(
            number.ToString(CultureInfo.InvariantCulture),
            $"pull request #{number}",
            missionId,
            fromFork,
            comments.Where(c => c.At > since && !c.Body.Contains(PullRequestMarkers.Comment, StringComparison.Ordinal)),
            c => c.Association is { } association && settings.Trusted.Contains(association.ToUpperInvariant()));
    }

    /// <inheritdoc />
    public async Task ReplyAsync(FeedbackRound round, string commit, CancellationToken cancellationToken)
    {
        var number = Number(round.ItemId);
        var text = $"{round.AddressedIn(commit)} {PullRequestMarkers.Comment}";
        foreach (var comment in round.Addressed.Where(c => c.HasThread))
        {
            await api.CallAsync("reply in a review thread", "pull-requests: write", client => client.PullRequest.ReviewComment.CreateReply(settings.Owner, settings.Repository, number, new PullRequestReviewCommentReplyCreate(text, comment.Id)), cancellationToken);
        }

        if (round.Addressed.Any(c => !c.HasThread))
        {
            var who = string.Join(", ", round.Addressed.Where(c => !c.HasThread).Select(c => $"@{c.Author}").Distinct());
            await api.CallAsync("comment on the pull request", "pull-requests: write", client => client.Issue.Comment.Create(settings.Owner, settings.Repository, number, $"{who}: {text}"), cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task CloseAsync(string itemId, CancellationToken cancellationToken) =>
        api.CallAsync("close the pull request", "pull-requests: write", client => client.PullRequest.Update(settings.Owner, settings.Repository, Number(itemId), new PullRequestUpdate { State = ItemState.Closed }), cancellationToken);

    /// <inheritdoc />
    public async Task SetDraftAsync(string itemId, bool draft, CancellationToken cancellationToken) =>
        await SetDraftAsync(await GetAsync(Number(itemId), cancellationToken), draft, cancellationToken);

    /// <summary>Marks a pull request loops already read as a draft, or ready for review; nothing when it already is.</summary>
    public async Task SetDraftAsync(PullRequest pull, bool draft, CancellationToken cancellationToken)
    {
        if (pull.Draft == draft)
        {
            return;
        }

        var mutation = draft ? "convertPullRequestToDraft" : "markPullRequestReadyForReview";
        await api.GraphQlAsync(
            draft ? "mark the pull request as a draft" : "mark the pull request ready for review",
            "pull-requests: write",
            $"mutation($id: ID!) {{ {mutation}(input: {{pullRequestId: $id}}) {{ pullRequest {{ isDraft }} }} }}",
            new JsonObject { ["id"] = pull.NodeId },
            cancellationToken);
    }

    private Task<PullRequest> GetAsync(int number, CancellationToken cancellationToken) =>
        api.CallAsync("read the pull request", "pull-requests: read", client => client.PullRequest.Get(settings.Owner, settings.Repository, number), cancellationToken);

    /// <summary>Conversation comments, review bodies and the first comment of each line thread (replies are not new feedback).</summary>
    private async Task<List<ReviewComment>> CommentsAsync(int number, CancellationToken cancellationToken)
    {
        var comments = new List<ReviewComment>();
        var issueComments = await api.CallAsync("read comments", "issues: read", client => client.Issue.Comment.GetAllForIssue(settings.Owner, settings.Repository, number), cancellationToken);
        comments.AddRange(issueComments.Select(c => new ReviewComment(c.Id, c.User?.Login ?? "?", c.AuthorAssociation.StringValue ?? "NONE", c.Body ?? "", c.CreatedAt, HasThread: false)));
        var reviewComments = await api.CallAsync("read review comments", "pull-requests: read", client => client.PullRequest.ReviewComment.GetAll(settings.Owner, settings.Repository, number), cancellationToken);
        comments.AddRange(reviewComments.Where(c => c.InReplyToId is null).Select(c => new ReviewComment(c.Id, c.User?.Login ?? "?", c.AuthorAssociation.StringValue ?? "NONE", c.Body ?? "", c.CreatedAt, HasThread: true)));
        var reviews = await api.CallAsync("read reviews", "pull-requests: read", client => client.PullRequest.Review.GetAll(settings.Owner, settings.Repository, number), cancellationToken);
        comments.AddRange(reviews.Where(r => !string.IsNullOrWhiteSpace(r.Body)).Select(r => new ReviewComment(r.Id, r.User?.Login ?? "?", r.AuthorAssociation.StringValue ?? "NONE", r.Body, r.SubmittedAt, HasThread: false)));
        return comments;
    }

    private static int Number(string itemId) =>
        int.TryParse(itemId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemNotFound, $"'{itemId}' is not a pull request number.", "Pass the pull request's number, e.g. loops feedback --pr 12.");
}
