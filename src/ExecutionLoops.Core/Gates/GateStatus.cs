namespace ExecutionLoops.Gates;

/// <summary>The outcome of one gate.</summary>
public enum GateStatus
{
    /// <summary>The gate passed.</summary>
    Passed,

    /// <summary>The gate failed (or crashed, or timed out).</summary>
    Failed,

    /// <summary>The gate did not run (e.g. nothing to check).</summary>
    Skipped,
}
