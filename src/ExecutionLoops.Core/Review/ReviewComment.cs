namespace ExecutionLoops.Review;

/// <summary>A reviewer's comment on a review item, as loops reads it from any target.</summary>
/// <param name="Id">The target's id for it (a GitHub comment id; a local item's comment number).</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Association">How the author relates to the repository, where the target knows it (GitHub's OWNER, COLLABORATOR, NONE, …); else null.</param>
/// <param name="Body">The text.</param>
/// <param name="At">When.</param>
/// <param name="HasThread">True when it can be answered in its own thread (a GitHub line comment, every local comment).</param>
public sealed record ReviewComment(long Id, string Author, string? Association, string Body, DateTimeOffset At, bool HasThread);
