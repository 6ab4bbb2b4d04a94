using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution;

/// <summary>What a journal line records.</summary>
internal enum JournalEntryType
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
internal sealed record JournalEntry
{
    /// <summary>When it was written.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What it records.</summary>
    public required JournalEntryType Type { get; init; }

    /// <summary>The run id.</summary>
    public required string Run { get; init; }

    /// <summary>The journal format the run is written in (run-started entry); absent in format 1.</summary>
    public int? Format { get; init; }

    /// <summary>The mission, for stage and mission entries.</summary>
    public string? Mission { get; init; }

    /// <summary>The stage, for stage entries.</summary>
    public MissionStage? Stage { get; init; }

    /// <summary>The missions and the base (run-started entry).</summary>
    public RunStartRecord? RunStart { get; init; }

    /// <summary>What the stage produced (stage-done entry).</summary>
    public StageRecord? Done { get; init; }

    /// <summary>The attempt that starts and why (attempt-started entry).</summary>
    public AttemptRecord? Attempt { get; init; }

    /// <summary>The mission report (mission-finished entry).</summary>
    public MissionReport? Report { get; init; }
}
