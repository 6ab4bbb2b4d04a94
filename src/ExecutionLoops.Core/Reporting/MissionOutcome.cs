namespace ExecutionLoops.Reporting;

/// <summary>How a mission ended in a run.</summary>
public enum MissionOutcome
{
    /// <summary>Published a review item (created or updated).</summary>
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
