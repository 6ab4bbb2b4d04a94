using System.Text.RegularExpressions;

namespace ExecutionLoops.Review;

/// <summary>
/// Sorts an item's comments into <c>/loops</c> commands, feedback and ignored ones, the same way for every target:
/// only trusted authors are heard, and a comment that starts with <c>/loops</c> but names no known command is ignored.
/// Which comments are new (since the last publish) and who is trusted is the target's to say.
/// </summary>
public static partial class ReviewCommentClassifier
{
    /// <summary>Classifies the comments made on an item since it was last published.</summary>
    public static FeedbackRound Classify(string itemId, string itemName, string missionId, bool fromFork, IEnumerable<ReviewComment> comments, Func<ReviewComment, bool> isTrusted)
    {
        var commands = new List<LoopsCommand>();
        var feedback = new List<ReviewFeedback>();
        var addressed = new List<ReviewComment>();
        var ignored = new List<ReviewComment>();
        foreach (var comment in comments.OrderBy(c => c.At))
        {
            if (!isTrusted(comment))
            {
                ignored.Add(comment);
                continue;
            }

            var match = Command().Match(comment.Body.Trim());
            if (!match.Success)
            {
                feedback.Add(new ReviewFeedback(comment.Author, comment.Body.Trim(), comment.At));
                addressed.Add(comment);
                continue;
            }

            if (Parse(match.Groups["command"].Value) is not { } command)
            {
                ignored.Add(comment);
                continue;
            }

            commands.Add(command);
            if (command == LoopsCommand.Feedback)
            {
                feedback.Add(new ReviewFeedback(comment.Author, match.Groups["text"].Value.Trim(), comment.At));
                addressed.Add(comment);
            }
        }

        return new FeedbackRound(itemId, itemName, missionId, fromFork, commands, feedback, addressed, ignored);
    }

    // The words reviewers type are spelled out here, so renaming an enum member never changes what they type.
    private static LoopsCommand? Parse(string word) => word.ToLowerInvariant() switch
    {
        "rerun" => LoopsCommand.Rerun,
        "rebase" => LoopsCommand.Rebase,
        "close" => LoopsCommand.Close,
        "feedback" => LoopsCommand.Feedback,
        "ready" => LoopsCommand.Ready,
        "draft" => LoopsCommand.Draft,
        _ => null,
    };

    [GeneratedRegex(@"^/loops\s+(?<command>\w+)(?:\s+(?<text>[\s\S]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Command();
}
