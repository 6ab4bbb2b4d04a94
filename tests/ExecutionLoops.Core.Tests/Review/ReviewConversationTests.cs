using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Review;

namespace ExecutionLoops.Core.Tests.Review;

/// <summary>How the engine hands <c>loops feedback</c> the configured target's conversation, over a real repository.</summary>
public sealed class ReviewConversationTests : IDisposable
{
    private readonly TempGitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task OpenReviewConversation_WhenTheTargetTakesNoFeedback_StopsWithEL4008OnTheConfig()
    {
        _repo.Write(".loops/config.yml", "review:\n  target: mail\n").Commit("a target without a conversation");
        var engine = await LoopsEngine.OpenAsync(_repo.Root, CancellationToken.None, extensions: new LoopsExtensions { ReviewTargets = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>> { ["mail"] = _ => new MailTarget() } });

        var failure = Should.Throw<LoopsException>(engine.OpenReviewConversation);

        failure.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        var diagnostic = failure.Diagnostics.ShouldHaveSingleItem();
        diagnostic.ToString().ShouldStartWith(".loops/config.yml: error EL4008: The review target 'mail' takes no feedback");
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("target: local");
    }

    [Fact]
    public async Task OpenReviewConversation_WhenTheTargetIsUnknown_StopsWithEL4001ListingTheKnownOnes()
    {
        _repo.Write(".loops/config.yml", "review:\n  target: carrier-pigeon\n").Commit("an unknown target");
        var engine = await LoopsEngine.OpenAsync(_repo.Root, CancellationToken.None);

        var failure = Should.Throw<LoopsException>(engine.OpenReviewConversation);

        failure.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.UnknownReviewTarget);
        failure.Diagnostics[0].Hint.ShouldNotBeNull().ShouldContain("local");
    }

    [Fact]
    public async Task OpenReviewConversation_OnTheLocalQueue_ReadsItsItems()
    {
        var engine = await LoopsEngine.OpenAsync(_repo.Root, CancellationToken.None);

        var conversation = engine.OpenReviewConversation();

        // The queue is empty, so reading proves the conversation is the local queue's.
        var failure = await Should.ThrowAsync<LoopsException>(() => conversation.ReadFeedbackAsync("stamp", CancellationToken.None));
        failure.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.ReviewItemNotFound);
    }

    /// <summary>A target that publishes but where nobody can answer (as a mail notification would be).</summary>
    private sealed class MailTarget : IReviewTarget
    {
        public string Name => "mail";

        public string? LogUrl => null;

        public IReviewConversation? Conversation => null;

        public string FeedbackHowTo(string missionId) => "Reply to the maintainers.";

        public Task<ReviewItem> PublishAsync(ReviewRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReviewFeedback>> PendingFeedbackAsync(string missionId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReviewFeedback>>([]);
    }
}
