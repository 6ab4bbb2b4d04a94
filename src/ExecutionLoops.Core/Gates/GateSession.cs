namespace ExecutionLoops.Gates;

/// <summary>
/// State shared by the gates of one evaluation so work is not repeated: the build gate records a
/// successful build and the test gate then runs with <c>--no-build</c>.
/// </summary>
public sealed class GateSession
{
    /// <summary>True once a build of the worktree succeeded in this evaluation.</summary>
    public bool BuildSucceeded { get; set; }
}
