namespace ExecutionLoops.Review;

/// <summary>What reviewers said on a mission's review item since it was last published.</summary>
/// <param name="ItemId">The target's id for the item (a pull request number, a local item id).</param>
/// <param name="ItemName">The item as people call it, e.g. "pull request #12".</param>
/// <param name="MissionId">The mission it belongs to.</param>
/// <param name="FromFork">True when the change lives in a fork of the repository (never acted on).</param>
/// <param name="Commands">Commands from trusted people, in order.</param>
/// <param name="Feedback">Feedback from trusted people: plain comments and <c>/loops feedback</c> texts.</param>
/// <param name="Addressed">The trusted comments the next run answers.</param>
/// <param name="Ignored">Comments from untrusted people and unknown commands, ignored (and logged).</param>
public sealed record FeedbackRound(
    string ItemId,
    string ItemName,
    string MissionId,
    bool FromFork,
    IReadOnlyList<LoopsCommand> Commands,
    IReadOnlyList<ReviewFeedback> Feedback,
    IReadOnlyList<ReviewComment> Addressed,
    IReadOnlyList<ReviewComment> Ignored)
{
    /// <summary>True when the round asks for another run of the mission: feedback, <c>/loops rerun</c> or <c>/loops rebase</c>.</summary>
    public bool AsksForARun => Feedback.Count > 0 || Commands.Any(c => c is LoopsCommand.Rerun or LoopsCommand.Rebase or LoopsCommand.Feedback);

    /// <summary>The draft state the last <c>/loops draft</c> or <c>/loops ready</c> asked for; null when neither was given.</summary>
    public bool? RequestedDraft => Commands.Where(c => c is LoopsCommand.Draft or LoopsCommand.Ready).Select(c => (bool?)(c == LoopsCommand.Draft)).LastOrDefault();

    /// <summary>The answer to the addressed comments once a run committed <paramref name="commit"/>.</summary>
    public string AddressedIn(string commit) => $"Addressed in {commit[..Math.Min(7, commit.Length)]} by mission `{MissionId}`.";
}
