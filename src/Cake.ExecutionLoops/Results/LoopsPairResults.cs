namespace Cake.ExecutionLoops;

/// <summary>The feedback call of a pair session: build, tests, criteria, and the checkpoint it took.</summary>
public sealed record LoopsPairStatusResult
{
    /// <summary>The session's id.</summary>
    public string SessionId { get; init; } = "";

    /// <summary>The session's goal.</summary>
    public string Goal { get; init; } = "";

    /// <summary>Whether the build succeeded.</summary>
    public bool BuildSucceeded { get; init; }

    /// <summary>The build's errors.</summary>
    public IReadOnlyList<LoopsDiagnostic> Errors { get; init; } = [];

    /// <summary>The build's warnings.</summary>
    public IReadOnlyList<LoopsDiagnostic> Warnings { get; init; } = [];

    /// <summary>Whether tests ran.</summary>
    public bool TestsRun { get; init; }

    /// <summary>How many passed.</summary>
    public int TestsPassed { get; init; }

    /// <summary>The failed tests' names.</summary>
    public IReadOnlyList<string> FailedTests { get; init; } = [];

    /// <summary>Each success criterion's status.</summary>
    public IReadOnlyList<LoopsCriterionResult> Criteria { get; init; } = [];

    /// <summary>The checkpoint this call took.</summary>
    public LoopsPairCheckpointResult Checkpoint { get; init; } = new();

    /// <summary>The dashboard's text, as <c>loops pair status</c> prints it.</summary>
    public string Dashboard { get; init; } = "";
}

/// <summary>A pair checkpoint: a commit of the working tree under <c>refs/loops/pair/&lt;session&gt;/&lt;n&gt;</c>.</summary>
public sealed record LoopsPairCheckpointResult
{
    /// <summary>The checkpoint's number (0 is the session's start).</summary>
    public int Number { get; init; }

    /// <summary>The snapshot commit.</summary>
    public string Commit { get; init; } = "";

    /// <summary>Why it was taken.</summary>
    public string Label { get; init; } = "";

    /// <summary>Whether the build and tests were green then, when known.</summary>
    public bool? Green { get; init; }
}

/// <summary>An ended pair session: its record and the follow-up missions drafted from it.</summary>
public sealed record LoopsPairEndResult
{
    /// <summary>The session's id.</summary>
    public string SessionId { get; init; } = "";

    /// <summary>The written session record.</summary>
    public string RecordPath { get; init; } = "";

    /// <summary>The drafted follow-up briefs under <c>.loops/missions/drafts/</c>.</summary>
    public IReadOnlyList<string> Drafts { get; init; } = [];

    /// <summary>Each success criterion's final status.</summary>
    public IReadOnlyList<LoopsCriterionResult> Criteria { get; init; } = [];
}

/// <summary>A success criterion and its status: <c>met</c>, <c>not-met</c>, <c>unknown</c> or <c>manual</c>.</summary>
public sealed record LoopsCriterionResult
{
    /// <summary>The criterion as written.</summary>
    public string Criterion { get; init; } = "";

    /// <summary><c>met</c>, <c>not-met</c>, <c>unknown</c> or <c>manual</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>What was checked.</summary>
    public string Detail { get; init; } = "";
}
