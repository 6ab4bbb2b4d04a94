namespace ExecutionLoops.Review;

/// <summary>
/// Where delegated work goes for human review: the local review queue (embedded default), a GitHub
/// pull request, an Azure Repos pull request. Publishing is idempotent per mission: an existing open
/// item is updated, never duplicated. Register targets in <see cref="Execution.LoopsRegistry"/>.
/// </summary>
public interface IReviewTarget
{
    /// <summary>The name used in <c>.loops/config.yml</c> (<c>review.target</c>).</summary>
    string Name { get; }

    /// <summary>Creates or updates the mission's review item.</summary>
    Task<ReviewItem> PublishAsync(ReviewRequest request, CancellationToken cancellationToken);

    /// <summary>How a reviewer answers this target's items, as a sentence of Markdown for the item body.</summary>
    string FeedbackHowTo(string missionId);

    /// <summary>Where the run's logs can be read (a CI run page), or null.</summary>
    string? LogUrl { get; }

    /// <summary>Feedback given on the mission's current item since it was last published, oldest first.</summary>
    Task<IReadOnlyList<ReviewFeedback>> PendingFeedbackAsync(string missionId, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation on this target's items (reading feedback, replying, closing, draft/ready), or null when
    /// reviewers cannot answer on this target; <c>loops feedback</c> then stops with EL4008.
    /// </summary>
    IReviewConversation? Conversation { get; }

    /// <summary>The mission dashboard this target keeps (<c>review.dashboard: true</c>), or null when it keeps none.</summary>
    IMissionDashboard? Dashboard => null;
}
