namespace Cake.ExecutionLoops;

/// <summary>One mission of the plan: whether it is due now, and why.</summary>
public sealed record LoopsPlannedMission
{
    /// <summary>The mission's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The toil kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The loop: <c>delegate</c> or <c>pair</c>.</summary>
    public string Loop { get; init; } = "";

    /// <summary>True when a delegation run now would run it.</summary>
    public bool Due { get; init; }

    /// <summary>Why it is due or not.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Its last successful run, if any.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>When its schedule makes it due next, if scheduled.</summary>
    public DateTimeOffset? NextDue { get; init; }
}
