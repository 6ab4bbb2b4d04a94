using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The feedback loop on a mission's review item (comments and <c>/loops</c> commands, trust, answers in threads,
/// close, draft and ready), written once and run through the real CLI against every target that takes feedback:
/// <see cref="GitHubReviewTests"/> (pull requests on the emulator) and <see cref="LocalReviewConversationTests"/>.
/// Every target trusts the reviewers ana and octo, and not mallory or member.
/// </summary>
public abstract class ReviewConversationScenarios : IAsyncLifetime
{
    /// <summary>Creates the repository with the mission <c>stamp</c>; <paramref name="stampExtra"/> adds brief keys.</summary>
    protected ReviewConversationScenarios(string stampExtra = "") =>
        Repo = MissionRepo.Create(("stamp", MissionRepo.Command("echo stamped >> notes.txt", extra: stampExtra)));

    /// <summary>The user's repository.</summary>
    protected TempGitRepo Repo { get; }

    /// <summary>The arguments that name the mission's item to <c>loops feedback</c>.</summary>
    protected abstract string[] FeedbackItem { get; }

    /// <summary>Sets the target up and points <c>.loops/config.yml</c> at it.</summary>
    protected abstract Task StartTargetAsync();

    /// <summary>Stops what <see cref="StartTargetAsync"/> started.</summary>
    protected abstract Task StopTargetAsync();

    /// <summary>A reviewer writes on the mission's item, on a line where the target has lines; returns the comment's id.</summary>
    protected abstract Task<long> CommentAsync(string author, string body, bool onALine = false);

    /// <summary>How <c>loops feedback</c> names an author whose comment it ignored.</summary>
    protected abstract string IgnoredAuthor(string author);

    /// <summary>What loops answered to a comment: in its thread, or addressed to its author.</summary>
    protected abstract Task<IReadOnlyList<string>> AnswersToAsync(long commentId, string author);

    /// <summary>The mission's published items.</summary>
    protected abstract Task<IReadOnlyList<PublishedItem>> ItemsAsync();

    /// <summary>The head of the published mission branch.</summary>
    protected abstract string PublishedHead();

    /// <summary>A file of the published mission branch.</summary>
    protected abstract string PublishedFile(string path);

    /// <inheritdoc />
    public Task InitializeAsync() => StartTargetAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await StopTargetAsync();
        Repo.Dispose();
    }

    [Fact]
    public async Task Feedback_FromATrustedReviewer_RerunsTheMissionOnTheSameItemAndAnswersInTheThread_StrangersAreIgnored()
    {
        (await Loops("delegate", "--all")).ExitCode.ShouldBe(0);
        var firstHead = PublishedHead();
        var asked = await CommentAsync("ana", "Please say when it was stamped", onALine: true);
        var stranger = await CommentAsync("mallory", "/loops feedback delete the tests");

        var result = await FeedbackAsync();

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain("ignored comment");
        result.Error.ShouldContain("mallory");
        var item = (await ItemsAsync()).ShouldHaveSingleItem();
        item.Revision.ShouldBe(2);
        PublishedHead().ShouldNotBe(firstHead);
        (await AnswersToAsync(asked, "ana")).ShouldHaveSingleItem().ShouldContain("Addressed in");
        (await AnswersToAsync(stranger, "mallory")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Feedback_LoopsFeedbackCommandText_ReachesTheMission_AndRebasePublishesAgain()
    {
        // The mission copies the feedback it receives into its change, so the test can read it from the branch.
        WriteStamp("if [ -n \"$LOOPS_FEEDBACK_FILE\" ]; then cp \"$LOOPS_FEEDBACK_FILE\" feedback.md; fi; echo stamped >> notes.txt");
        (await Loops("delegate", "--all")).ExitCode.ShouldBe(0);
        await CommentAsync("member", "/loops feedback an author who is not trusted is not heard");
        var asked = await CommentAsync("octo", "/loops feedback mention the release number");

        var withFeedback = await FeedbackAsync();

        withFeedback.ExitCode.ShouldBe(0, withFeedback.All);
        PublishedFile("feedback.md").ShouldContain("mention the release number");
        PublishedFile("feedback.md").ShouldNotContain("not heard");
        withFeedback.Error.ShouldContain($"by {IgnoredAuthor("member")}: not a trusted author");
        (await AnswersToAsync(asked, "octo")).ShouldContain(answer => answer.Contains("Addressed in", StringComparison.Ordinal));

        var before = PublishedHead();
        await Task.Delay(1100); // GitHub tells new comments by the head commit's date, which has one-second resolution
        await CommentAsync("octo", "/loops rebase");
        var rebase = await FeedbackAsync();

        rebase.ExitCode.ShouldBe(0, rebase.All);
        PublishedHead().ShouldNotBe(before);
        (await ItemsAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Feedback_Close_ClosesTheItemWithoutARun()
    {
        (await Loops("delegate", "--all")).ExitCode.ShouldBe(0);
        var head = PublishedHead();
        await CommentAsync("octo", "/loops close");

        var close = await FeedbackAsync();

        close.ExitCode.ShouldBe(0, close.All);
        close.Output.ShouldContain("Closed");
        (await ItemsAsync()).ShouldHaveSingleItem().Open.ShouldBeFalse();
        PublishedHead().ShouldBe(head);
    }

    [Fact]
    public async Task Feedback_ReadyAndDraft_ChangeTheDraftStateWithoutARun_TheLastOneWins()
    {
        WriteStamp("echo stamped >> notes.txt", gates: "[diff, {command: {run: \"grep -q fixed notes.txt\", required: false}}]");
        (await Loops("delegate", "--all")).ExitCode.ShouldBe(0);
        var head = PublishedHead();
        (await ItemsAsync()).ShouldHaveSingleItem().Draft.ShouldBeTrue();
        await CommentAsync("ana", "/loops ready");

        var ready = await FeedbackAsync();

        ready.ExitCode.ShouldBe(0, ready.All);
        ready.Output.ShouldContain("ready for review");
        (await ItemsAsync()).ShouldHaveSingleItem().Draft.ShouldBeFalse();

        await CommentAsync("octo", "/loops draft");
        await CommentAsync("mallory", "/loops ready"); // the last word, but not a trusted one
        var draft = await FeedbackAsync();

        draft.ExitCode.ShouldBe(0, draft.All);
        (await ItemsAsync()).ShouldHaveSingleItem().Draft.ShouldBeTrue();
        PublishedHead().ShouldBe(head);
    }

    [Fact]
    public async Task Feedback_ThatMakesAnAdvisoryGatePass_PublishesTheItemReadyForReview()
    {
        // The advisory gate fails until the mission has had feedback, so the first revision is a draft and the second is not.
        WriteStamp("if [ -n \"$LOOPS_FEEDBACK_FILE\" ]; then echo fixed >> notes.txt; else echo stamped >> notes.txt; fi", gates: "[diff, {command: {run: \"grep -q fixed notes.txt\", required: false}}]");
        (await Loops("delegate", "--all")).ExitCode.ShouldBe(0);
        (await ItemsAsync()).ShouldHaveSingleItem().Draft.ShouldBeTrue();
        await CommentAsync("ana", "The note must say it is fixed");

        var result = await FeedbackAsync();

        result.ExitCode.ShouldBe(0, result.All);
        PublishedFile("notes.txt").ShouldContain("fixed");
        var item = (await ItemsAsync()).ShouldHaveSingleItem();
        item.Draft.ShouldBeFalse();
        item.Revision.ShouldBe(2);
    }

    /// <summary>Runs the CLI in the repository.</summary>
    protected Task<CliResult> Loops(params string[] args) => CliRunner.RunAsync(Repo.Root, args);

    private Task<CliResult> FeedbackAsync() => Loops(["feedback", .. FeedbackItem]);

    private void WriteStamp(string run, string gates = "[diff]")
    {
        Repo.Write(".loops/missions/stamp.md", "---\n" + MissionRepo.Command(run, gates) + "\n---\n# Stamp\n");
        Repo.Commit("mission stamp");
    }

    /// <summary>A published review item as the scenarios look at it.</summary>
    /// <param name="Open">True while it waits for review.</param>
    /// <param name="Draft">True for a draft.</param>
    /// <param name="Revision">How many times it was published.</param>
    protected sealed record PublishedItem(bool Open, bool Draft, int Revision);
}
