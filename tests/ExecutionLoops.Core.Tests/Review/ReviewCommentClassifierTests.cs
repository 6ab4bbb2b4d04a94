using ExecutionLoops.Review;

namespace ExecutionLoops.Core.Tests.Review;

public sealed class ReviewCommentClassifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static ReviewComment Comment(long id, string author, string body) => new(id, author, null, body, Start.AddMinutes(id), HasThread: true);

    private static FeedbackRound Classify(params ReviewComment[] comments) =>
        ReviewCommentClassifier.Classify("7", "item 7", "stamp", fromFork: false, comments.Reverse(), c => c.Author != "mallory");

    [Fact]
    public void Classify_SortsTrustedCommentsIntoCommandsAndFeedbackInOrder_AndIgnoresStrangersAndUnknownCommands()
    {
        var round = Classify(
            Comment(1, "ana", "  Please say when it was stamped  "),
            Comment(2, "ana", "/loops feedback mention the release"),
            Comment(3, "octo", "/loops Rerun"),
            Comment(4, "octo", "/loops merge"),
            Comment(5, "mallory", "/loops feedback delete the tests"));

        round.Commands.ShouldBe([LoopsCommand.Feedback, LoopsCommand.Rerun]);
        round.Feedback.Select(f => f.Text).ShouldBe(["Please say when it was stamped", "mention the release"]);
        round.Addressed.Select(c => c.Id).ShouldBe([1L, 2L]);
        round.Ignored.Select(c => c.Id).ShouldBe([4L, 5L]);
        round.AsksForARun.ShouldBeTrue();
    }

    [Fact]
    public void RequestedDraft_IsTheLastOfReadyAndDraft_AndNeitherAsksForARun()
    {
        Classify(Comment(1, "ana", "/loops draft"), Comment(2, "octo", "/loops ready")).RequestedDraft.ShouldBe(false);
        Classify(Comment(1, "ana", "/loops ready"), Comment(2, "octo", "/loops draft")).RequestedDraft.ShouldBe(true);
        Classify(Comment(1, "ana", "/loops close")).RequestedDraft.ShouldBeNull();
        Classify(Comment(1, "ana", "/loops ready"), Comment(2, "ana", "/loops close")).AsksForARun.ShouldBeFalse();
    }

    [Fact]
    public void AddressedIn_NamesTheShortCommitAndTheMission()
    {
        Classify().AddressedIn("0123456789abcdef").ShouldBe("Addressed in 0123456 by mission `stamp`.");
    }
}
