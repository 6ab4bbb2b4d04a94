namespace ExecutionLoops.Review;

/// <summary>A reviewer's feedback on a review item, handed to the next run of the mission.</summary>
/// <param name="Author">Who gave it.</param>
/// <param name="Text">What they said.</param>
/// <param name="At">When.</param>
public sealed record ReviewFeedback(string Author, string Text, DateTimeOffset At);
