namespace ExecutionLoops.Reporting;

/// <summary>The stages of one mission in a delegation run, in order.</summary>
public enum MissionStage
{
    /// <summary>Create the mission worktree on <c>loops/&lt;id&gt;</c> from the base.</summary>
    Prepare,

    /// <summary>Run the toil executor in the worktree.</summary>
    Toil,

    /// <summary>Evaluate the gates.</summary>
    Gates,

    /// <summary>Commit the change with Mission-Id and Loops-Run trailers.</summary>
    Commit,

    /// <summary>Publish to the review target.</summary>
    Publish,
}
