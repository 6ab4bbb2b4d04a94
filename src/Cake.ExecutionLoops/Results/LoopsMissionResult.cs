namespace Cake.ExecutionLoops;

/// <summary>How a mission ended in a run.</summary>
public enum LoopsMissionOutcome
{
    /// <summary>A review item was published (created or updated).</summary>
    Published,

    /// <summary>The toil changed nothing; nothing was published.</summary>
    NoChanges,

    /// <summary>A required gate failed; nothing was published.</summary>
    GateFailed,

    /// <summary>The toil itself failed.</summary>
    ToilFailed,

    /// <summary>Dry run: planned only.</summary>
    DryRun,

    /// <summary>An infrastructure error stopped the mission.</summary>
    Errored,
}

/// <summary>One mission of a run: its outcome, branch, commit, review item and gates.</summary>
public sealed record LoopsMissionResult
{
    /// <summary>The mission's id.</summary>
    public string MissionId { get; init; } = "";

    /// <summary>The brief's title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The toil kind, e.g. <c>format</c> or <c>command</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>How it ended.</summary>
    public LoopsMissionOutcome Outcome { get; init; }

    /// <summary>One line about the outcome.</summary>
    public string Message { get; init; } = "";

    /// <summary>The mission's branch, <c>loops/&lt;id&gt;</c>, when it committed.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit on that branch.</summary>
    public string? Commit { get; init; }

    /// <summary>The review item's id (a pull request number, or the local queue's item id).</summary>
    public string? ReviewItemId { get; init; }

    /// <summary>Where the review item is: the pull request's URL, or the local queue's file.</summary>
    public string? ReviewLocation { get; init; }

    /// <summary>The size of the change.</summary>
    public LoopsDiffStat Diff { get; init; } = new();

    /// <summary>Each gate's verdict.</summary>
    public IReadOnlyList<LoopsGateResult> Gates { get; init; } = [];

    /// <summary>What went wrong, with EL codes.</summary>
    public IReadOnlyList<LoopsDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>The mission's full log, when it wrote one.</summary>
    public string? LogPath { get; init; }

    /// <summary>True when the toil or a required gate failed, or an error stopped the mission.</summary>
    public bool Failed => Outcome is LoopsMissionOutcome.GateFailed or LoopsMissionOutcome.ToilFailed or LoopsMissionOutcome.Errored;
}

/// <summary>The size of a change.</summary>
public sealed record LoopsDiffStat
{
    /// <summary>Files changed.</summary>
    public int Files { get; init; }

    /// <summary>Lines added.</summary>
    public int Insertions { get; init; }

    /// <summary>Lines removed.</summary>
    public int Deletions { get; init; }
}
