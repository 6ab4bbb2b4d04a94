using ExecutionLoops.Review;

namespace ExecutionLoops.GitHub.Review;

/// <summary>A comment on a pull request, as loops sees it.</summary>
/// <param name="Id">The comment id.</param>
/// <param name="Author">Login.</param>
/// <param name="Association">OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, …</param>
/// <param name="Body">The text.</param>
/// <param name="At">When.</param>
/// <param name="InlineReview">True for a review comment on a line (it can be answered in its thread).</param>
public sealed record PullRequestComment(long Id, string Author, string Association, string Body, DateTimeOffset At, bool InlineReview);

/// <summary>The <c>/loops</c> commands a reviewer can give.</summary>
public enum LoopsCommand
{
    /// <summary>Run the mission again.</summary>
    Rerun,

    /// <summary>Run the mission again on the current base branch.</summary>
    Rebase,

    /// <summary>Close the pull request.</summary>
    Close,

    /// <summary>Run again with the given feedback.</summary>
    Feedback,
}

/// <summary>What reviewers said on a mission's pull request since loops last pushed.</summary>
/// <param name="Number">The pull request.</param>
/// <param name="MissionId">The mission it belongs to.</param>
/// <param name="FromFork">True when the head branch lives in a fork (never acted on).</param>
/// <param name="Commands">Commands from trusted people, in order.</param>
/// <param name="Feedback">Feedback from trusted people: plain comments and <c>/loops feedback</c> texts.</param>
/// <param name="Addressed">The trusted comments the next run answers.</param>
/// <param name="Ignored">Comments from people without write access, ignored (and logged).</param>
public sealed record FeedbackRound(
    int Number,
    string MissionId,
    bool FromFork,
    IReadOnlyList<LoopsCommand> Commands,
    IReadOnlyList<ReviewFeedback> Feedback,
    IReadOnlyList<PullRequestComment> Addressed,
    IReadOnlyList<PullRequestComment> Ignored);
