namespace Cake.ExecutionLoops;

/// <summary>The JSON of <c>loops pair status --json</c>: the engine's records, flattened into <see cref="LoopsPairStatusResult"/>.</summary>
internal sealed record PairStatusDocument
{
    public PairSessionDocument Session { get; init; } = new();

    public PairFeedbackDocument Feedback { get; init; } = new();

    public IReadOnlyList<LoopsCriterionResult> Criteria { get; init; } = [];

    public LoopsPairCheckpointResult Checkpoint { get; init; } = new();

    public string Dashboard { get; init; } = "";

    public LoopsPairStatusResult ToResult() => new()
    {
        SessionId = Session.Id,
        Goal = Session.Goal,
        BuildSucceeded = Feedback.BuildSucceeded,
        Errors = Feedback.Errors,
        Warnings = Feedback.Warnings,
        TestsRun = Feedback.TestsRun,
        TestsPassed = Feedback.TestsPassed,
        FailedTests = Feedback.FailedTests,
        Criteria = Criteria,
        Checkpoint = Checkpoint,
        Dashboard = Dashboard,
    };
}

/// <summary>The JSON of <c>loops pair end --json</c>.</summary>
internal sealed record PairEndDocument
{
    public PairSessionDocument Session { get; init; } = new();

    public string RecordPath { get; init; } = "";

    public IReadOnlyList<string> Drafts { get; init; } = [];

    public IReadOnlyList<LoopsCriterionResult> Criteria { get; init; } = [];

    public LoopsPairEndResult ToResult() => new() { SessionId = Session.Id, RecordPath = RecordPath, Drafts = Drafts, Criteria = Criteria };
}

internal sealed record PairSessionDocument
{
    public string Id { get; init; } = "";

    public string Goal { get; init; } = "";
}

internal sealed record PairFeedbackDocument
{
    public bool BuildSucceeded { get; init; }

    public IReadOnlyList<LoopsDiagnostic> Errors { get; init; } = [];

    public IReadOnlyList<LoopsDiagnostic> Warnings { get; init; } = [];

    public bool TestsRun { get; init; }

    public int TestsPassed { get; init; }

    public IReadOnlyList<string> FailedTests { get; init; } = [];
}
