using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Reporting;

/// <summary>What happened to one mission in a run.</summary>
public sealed record MissionReport
{
    /// <summary>The mission id.</summary>
    public required string MissionId { get; init; }

    /// <summary>The brief's title.</summary>
    public required string Title { get; init; }

    /// <summary>The toil kind.</summary>
    public required string Kind { get; init; }

    /// <summary>How it ended.</summary>
    public required MissionOutcome Outcome { get; init; }

    /// <summary>One line explaining the outcome.</summary>
    public string Message { get; init; } = "";

    /// <summary>The mission branch.</summary>
    public string? Branch { get; init; }

    /// <summary>The mission commit, if one was made.</summary>
    public string? Commit { get; init; }

    /// <summary>The review item, if one was published.</summary>
    public string? ReviewItemId { get; init; }

    /// <summary>Where to find the review item.</summary>
    public string? ReviewLocation { get; init; }

    /// <summary>Size of the change.</summary>
    public DiffStat Diff { get; init; } = DiffStat.Empty;

    /// <summary>Stage timings in order.</summary>
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];

    /// <summary>Gate results in order.</summary>
    public IReadOnlyList<GateResult> Gates { get; init; } = [];

    /// <summary>Problems found (toil failures, infrastructure errors).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>What the toil reported (for agent kinds: the attempt, turns, tokens and estimated cost).</summary>
    public string? Toil { get; init; }

    /// <summary>What an agent mission used over all its attempts, or null for other kinds.</summary>
    public AgentUsageReport? AgentUsage { get; init; }

    /// <summary>True when the change is committed but not yet published: the run stays open for resume to publish it.</summary>
    public bool PublishPending { get; init; }

    /// <summary>The mission's full log (every command and its output, secrets masked).</summary>
    public string? LogPath { get; init; }

    /// <summary>For missions that run agent-written code: the sandbox backend and why it was chosen.</summary>
    public string? Sandbox { get; init; }

    /// <summary>The end of the failing toil's output, if the toil failed.</summary>
    public string? LogTail { get; init; }

    /// <summary>True when the outcome counts as a failure for the exit code.</summary>
    public bool Failed => Outcome is MissionOutcome.GateFailed or MissionOutcome.ToilFailed or MissionOutcome.Errored;
}
