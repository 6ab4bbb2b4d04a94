using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Toil;

/// <summary>What a toil executor reports back.</summary>
/// <param name="Succeeded">False when the toil itself failed (a command exited non-zero, timed out, a tool is missing).</param>
/// <param name="Summary">One line for the report and the review body.</param>
/// <param name="Diagnostics">EL-coded problems, if any.</param>
/// <param name="LogTail">The end of its output, for the report.</param>
public sealed record ToilResult(bool Succeeded, string Summary, IReadOnlyList<Diagnostic> Diagnostics, string LogTail = "")
{
    /// <summary>A Markdown section describing the change (e.g. the table of dependency bumps) for the review body, or null.</summary>
    public string? Details { get; init; }

    /// <summary>What an agent used in this attempt, for agent kinds.</summary>
    public Reporting.AgentUsageReport? Usage { get; init; }

    /// <summary>Changes the sandbox reverted after the toil (agent kinds); they fail the mission's gates.</summary>
    public IReadOnlyList<Diagnostic> SandboxViolations { get; init; } = [];

    /// <summary>A successful result.</summary>
    public static ToilResult Success(string summary, string logTail = "") => new(true, summary, [], logTail);

    /// <summary>A failed result with one diagnostic.</summary>
    public static ToilResult Failure(Diagnostic diagnostic, string logTail = "") => new(false, diagnostic.Message, [diagnostic], logTail);
}
