namespace ExecutionLoops.Review;

/// <summary>The <c>/loops</c> commands a reviewer can give on a review item, on any target.</summary>
public enum LoopsCommand
{
    /// <summary>Run the mission again.</summary>
    Rerun,

    /// <summary>Run the mission again on the current base branch.</summary>
    Rebase,

    /// <summary>Close the item.</summary>
    Close,

    /// <summary>Run again with the given feedback.</summary>
    Feedback,

    /// <summary>Mark the item ready for review (a reviewer accepts its advisory failures).</summary>
    Ready,

    /// <summary>Mark the item as a draft again.</summary>
    Draft,
}
