namespace Cake.ExecutionLoops;

/// <summary>What <c>LoopsFeedback</c> did with the comments and <c>/loops</c> commands on a review item.</summary>
public sealed record LoopsFeedbackResult
{
    /// <summary>What loops said it did when no run was needed (closed, marked draft or ready, nothing to do).</summary>
    public string Message { get; init; } = "";

    /// <summary>The mission's rerun, when the feedback asked for one; null otherwise.</summary>
    public LoopsRunResult? Run { get; init; }
}
