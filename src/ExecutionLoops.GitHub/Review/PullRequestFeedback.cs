using System.Text.RegularExpressions;
using ExecutionLoops.Review;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// Sorts a pull request's comments into commands, feedback and ignored ones: only people whose association
/// is trusted (OWNER and COLLABORATOR, the people with write access, unless configured otherwise) are heard, only comments made since
/// loops last pushed count, and loops' own comments are skipped.
/// </summary>
public static partial class PullRequestFeedback
{
    /// <summary>The associations heard by default.</summary>
    public static IReadOnlyList<string> DefaultTrusted { get; } = ["OWNER", "COLLABORATOR"];

    /// <summary>Classifies the comments.</summary>
    public static FeedbackRound Classify(int number, string missionId, bool fromFork, IEnumerable<PullRequestComment> comments, DateTimeOffset since, IReadOnlyCollection<string> trusted)
    {
        var commands = new List<LoopsCommand>();
        var feedback = new List<ReviewFeedback>();
        var addressed = new List<PullRequestComment>();
        var ignored = new List<PullRequestComment>();
        foreach (var comment in comments.Where(c => c.At > since && !c.Body.Contains(LoopsMarker, StringComparison.Ordinal)).OrderBy(c => c.At))
        {
            if (!trusted.Contains(comment.Association.ToUpperInvariant()))
            {
                ignored.Add(comment);
                continue;
            }

            var match = Command().Match(comment.Body.Trim());
            if (match.Success)
            {
                var command = match.Groups["command"].Value.ToLowerInvariant();
                switch (command)
                {
                    case "rerun": commands.Add(LoopsCommand.Rerun); break;
                    case "rebase": commands.Add(LoopsCommand.Rebase); break;
                    case "close": commands.Add(LoopsCommand.Close); break;
                    case "feedback":
                        commands.Add(LoopsCommand.Feedback);
                        feedback.Add(new ReviewFeedback(comment.Author, match.Groups["text"].Value.Trim(), comment.At));
                        addressed.Add(comment);
                        break;
                    default:
                        ignored.Add(comment);
                        break;
                }

                continue;
            }

            feedback.Add(new ReviewFeedback(comment.Author, comment.Body.Trim(), comment.At));
            addressed.Add(comment);
        }

        return new FeedbackRound(number, missionId, fromFork, commands, feedback, addressed, ignored);
    }

    /// <summary>Marks comments loops wrote itself, so they are never read back as feedback.</summary>
    public const string LoopsMarker = "<!-- loops -->";

    [GeneratedRegex(@"^/loops\s+(?<command>\w+)(?:\s+(?<text>[\s\S]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Command();
}
