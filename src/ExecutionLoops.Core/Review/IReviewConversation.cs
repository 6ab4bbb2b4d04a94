namespace ExecutionLoops.Review;

/// <summary>
/// The conversation on a target's review items: what trusted reviewers said since the last publish (comments and
/// <c>/loops</c> commands), answers in the threads they addressed, closing, and draft/ready. <c>loops feedback</c>
/// works through this alone, so a target that implements it takes feedback without any command knowing the target.
/// A target offers it through <see cref="IReviewTarget.Conversation"/>.
/// </summary>
public interface IReviewConversation
{
    /// <summary>
    /// What trusted reviewers said on an item since it was last published, oldest first; comments by others and
    /// unknown commands are in <see cref="FeedbackRound.Ignored"/>.
    /// </summary>
    /// <param name="itemId">The item: a pull request number, a local item id (or its mission's id).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="Diagnostics.LoopsException">When there is no such item, or it is not a mission's item.</exception>
    Task<FeedbackRound> ReadFeedbackAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>Tells reviewers their comments were addressed by <paramref name="commit"/>: in each comment's thread where it has one.</summary>
    Task ReplyAsync(FeedbackRound round, string commit, CancellationToken cancellationToken);

    /// <summary>Closes an item without merging (the <c>/loops close</c> command); closing a closed item changes nothing.</summary>
    Task CloseAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>Marks an item as a draft, or ready for review.</summary>
    Task SetDraftAsync(string itemId, bool draft, CancellationToken cancellationToken);
}
