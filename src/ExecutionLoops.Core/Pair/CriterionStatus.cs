namespace ExecutionLoops.Pair;

/// <summary>Where a success criterion stands.</summary>
public enum CriterionStatus
{
    /// <summary>Checked mechanically and met.</summary>
    Met,

    /// <summary>Checked mechanically and not met.</summary>
    NotMet,

    /// <summary>Checkable, but the data is missing (e.g. tests not run).</summary>
    Unknown,

    /// <summary>Not mechanically checkable: a person decides.</summary>
    Manual,
}

/// <summary>A criterion with its status and why.</summary>
public sealed record CriterionResult(string Criterion, CriterionStatus Status, string Detail);
