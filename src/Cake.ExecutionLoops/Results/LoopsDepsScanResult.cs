namespace Cake.ExecutionLoops;

/// <summary>Which dependencies could move, to what, and why or why not. Nothing was changed.</summary>
public sealed record LoopsDepsScanResult
{
    /// <summary>The projects read.</summary>
    public IReadOnlyList<string> Projects { get; init; } = [];

    /// <summary>One finding per dependency.</summary>
    public IReadOnlyList<LoopsDependencyFinding> Dependencies { get; init; } = [];

    /// <summary>Problems met while reading files or asking package sources.</summary>
    public IReadOnlyList<LoopsDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>The dependencies with a candidate version.</summary>
    public IEnumerable<LoopsDependencyFinding> Updates => Dependencies.Where(d => d.Candidate is not null);
}

/// <summary>One dependency: where its version is written, its candidate, and the reason.</summary>
public sealed record LoopsDependencyFinding
{
    /// <summary>The package id.</summary>
    public string Package { get; init; } = "";

    /// <summary>Package, SDK or tool.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The version in use.</summary>
    public string Current { get; init; } = "";

    /// <summary>The version the policy would move to, or null.</summary>
    public string? Candidate { get; init; }

    /// <summary><c>patch</c>, <c>minor</c> or <c>major</c>, when there is a candidate.</summary>
    public string? UpdateType { get; init; }

    /// <summary>True when the current version has a known vulnerability the candidate fixes.</summary>
    public bool Security { get; init; }

    /// <summary>Why this candidate, or why none.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The file that writes the version.</summary>
    public string File { get; init; } = "";

    /// <summary>Its line.</summary>
    public int Line { get; init; }

    /// <summary>The projects that use it.</summary>
    public IReadOnlyList<string> Projects { get; init; } = [];
}
