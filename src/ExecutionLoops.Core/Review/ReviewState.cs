namespace ExecutionLoops.Review;

/// <summary>Where a review item stands.</summary>
public enum ReviewState
{
    /// <summary>Waiting for a reviewer.</summary>
    Open,

    /// <summary>Rejected with feedback; the next run of the mission addresses it and reopens the item.</summary>
    ChangesRequested,

    /// <summary>Approved and merged into the base branch.</summary>
    Merged,

    /// <summary>Closed without merging.</summary>
    Closed,
}
