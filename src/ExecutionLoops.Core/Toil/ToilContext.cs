using ExecutionLoops.Diagnostics;
using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;

namespace ExecutionLoops.Toil;

/// <summary>Everything a toil executor may use: the brief, the worktree it owns, reviewer feedback, a log.</summary>
/// <param name="Brief">The mission.</param>
/// <param name="Config">Repository defaults.</param>
/// <param name="WorktreePath">The mission's own git worktree; the only place toil writes.</param>
/// <param name="Feedback">Reviewer feedback from earlier rounds, oldest first.</param>
/// <param name="Log">The mission's run log.</param>
/// <param name="Processes">Starts external programs.</param>
/// <param name="Timeout">How long the toil may take in all.</param>
public sealed record ToilContext(
    MissionBrief Brief,
    LoopsConfig Config,
    string WorktreePath,
    IReadOnlyList<ReviewFeedback> Feedback,
    IMissionLog Log,
    ProcessRunner Processes,
    TimeSpan Timeout)
{
    /// <summary>Starts the engine's own programs (git on the worktree) outside any sandbox; null for <see cref="Processes"/>.</summary>
    public ProcessRunner? EngineProcesses { get; init; }

    /// <summary>Where the toil's processes may write temporary files (inside the sandbox for agent missions); null for the system temp folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>The run's folder for files published beside the report (e.g. SARIF for code scanning), outside the worktree.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>The clock deadlines are measured on.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The commit the mission started from.</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The attempt (1 first; agent missions retry after failed gates).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The required gates' failures of the previous attempt, or null on the first.</summary>
    public string? PreviousFailures { get; init; }

    /// <summary>Runs the mission's gates on the worktree as it is and returns their failures (for an agent's run_gates tool).</summary>
    public Func<CancellationToken, Task<string>>? RunGates { get; init; }

    /// <summary>The names of the gates that will judge the change, in order.</summary>
    public IReadOnlyList<string> Gates { get; init; } = [];
}
