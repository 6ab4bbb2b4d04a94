namespace Cake.ExecutionLoops;

/// <summary>A gate's verdict.</summary>
public enum LoopsGateStatus
{
    /// <summary>The gate passed.</summary>
    Passed,

    /// <summary>The gate failed.</summary>
    Failed,

    /// <summary>The gate did not run.</summary>
    Skipped,
}

/// <summary>One gate of a mission: its verdict, whether it was required, and what it found.</summary>
public sealed record LoopsGateResult
{
    /// <summary>The gate's name, e.g. <c>build</c>, <c>test</c>, <c>diff</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Passed, failed or skipped.</summary>
    public LoopsGateStatus Status { get; init; }

    /// <summary>Whether a failure fails the mission.</summary>
    public bool Required { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>One line, e.g. "12 passed, 1 failed".</summary>
    public string Summary { get; init; } = "";

    /// <summary>The findings, with locations where known.</summary>
    public IReadOnlyList<LoopsDiagnostic> Diagnostics { get; init; } = [];
}
