using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution;

/// <summary>What a journal line records.</summary>
public enum JournalEntryType
{
    /// <summary>A run began, with the missions it will run.</summary>
    RunStarted,

    /// <summary>A mission stage began.</summary>
    StageStarted,

    /// <summary>A mission stage completed; its results are in the entry.</summary>
    StageDone,

    /// <summary>An agent mission starts another attempt after failed gates; the entry holds the failures.</summary>
    AttemptStarted,

    /// <summary>A mission finished; the entry holds its report.</summary>
    MissionFinished,

    /// <summary>The run finished.</summary>
    RunFinished,
}

/// <summary>
/// One line of the append-only run journal. Each is written (and flushed to disk) before the next
/// step starts, so a run killed anywhere can be replayed to the exact point it reached.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>When it was written.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What it records.</summary>
    public required JournalEntryType Type { get; init; }

    /// <summary>The run id.</summary>
    public required string Run { get; init; }

    /// <summary>The mission, for stage and mission entries.</summary>
    public string? Mission { get; init; }

    /// <summary>The stage, for stage entries.</summary>
    public MissionStage? Stage { get; init; }

    /// <summary>Mission ids of a run-started entry, in run order.</summary>
    public IReadOnlyList<string>? Missions { get; init; }

    /// <summary>True for a dry run (run-started entry).</summary>
    public bool? DryRun { get; init; }

    /// <summary>Stage results: base commit, base branch, worktree, commit, review item, …</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>Gate results (gates stage-done entry).</summary>
    public IReadOnlyList<GateResult>? Gates { get; init; }

    /// <summary>The files the toil changed (toil stage-done entry).</summary>
    public IReadOnlyList<Workspace.FileChange>? Changes { get; init; }

    /// <summary>The mission report (mission-finished entry).</summary>
    public MissionReport? Report { get; init; }
}
