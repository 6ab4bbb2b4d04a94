namespace ExecutionLoops.Review;

/// <summary>
/// The conversation on local review items. Publishing marks every comment addressed, so the comments not yet
/// addressed are exactly those made since the last publish; each comment is its own thread, and loops' answer is
/// stored on it.
/// </summary>
internal sealed class LocalReviewConversation(LocalReviewQueue queue, IReadOnlyCollection<string>? trustedAuthors) : IReviewConversation
{
    /// <inheritdoc />
    public async Task<FeedbackRound> ReadFeedbackAsync(string itemId, CancellationToken cancellationToken) =>
        Classify(await queue.GetAsync(itemId, cancellationToken));

    /// <summary>Sorts the item's comments since its last publish.</summary>
    public FeedbackRound Classify(LocalReviewRecord record)
    {
        var comments = record.Feedback
            .Select((feedback, index) => (Feedback: feedback, Number: index + 1))
            .Where(c => !c.Feedback.Addressed)
            .Select(c => new ReviewComment(c.Number, c.Feedback.Author, null, c.Feedback.Text, c.Feedback.At, HasThread: true));
        return ReviewCommentClassifier.Classify(record.Id, $"review item '{record.Id}'", record.MissionId, fromFork: false, comments, IsTrusted);
    }

    /// <inheritdoc />
    public Task ReplyAsync(FeedbackRound round, string commit, CancellationToken cancellationToken)
    {
        var answered = round.Addressed.Select(c => c.Id).ToHashSet();
        return queue.UpdateAsync(round.ItemId, record => record with
        {
            Feedback = record.Feedback.Select((feedback, index) => answered.Contains(index + 1) ? feedback with { Reply = round.AddressedIn(commit) } : feedback).ToList(),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task CloseAsync(string itemId, CancellationToken cancellationToken)
    {
        // A repeated /loops close (the comment is still the newest) must not fail on an item it already closed.
        if ((await queue.GetAsync(itemId, cancellationToken)).State != ReviewState.Closed)
        {
            await queue.CloseAsync(itemId, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task SetDraftAsync(string itemId, bool draft, CancellationToken cancellationToken) =>
        queue.UpdateOpenAsync(itemId, draft ? "become a draft" : "become ready for review", record => record with { Draft = draft }, cancellationToken);

    private bool IsTrusted(ReviewComment comment) => trustedAuthors is null || trustedAuthors.Contains(comment.Author, StringComparer.OrdinalIgnoreCase);
}
