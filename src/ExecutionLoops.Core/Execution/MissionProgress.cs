using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>How far one mission of a run got, replayed from the journal.</summary>
public sealed class MissionProgress
{
    /// <summary>Data key of the attempt number.</summary>
    public const string AttemptKey = "attempt";

    /// <summary>Data key of the previous attempt's gate failures.</summary>
    public const string PreviousFailuresKey = "previousFailures";

    /// <summary>The attempt the mission is in (1 unless an agent mission retried).</summary>
    public int Attempt => Data.TryGetValue(AttemptKey, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var attempt) ? attempt : 1;

    /// <summary>The last stage whose completion was journaled, or null when none was.</summary>
    public MissionStage? LastDone { get; private set; }

    /// <summary>Stage results (worktree, commit, review item, summaries).</summary>
    public Dictionary<string, string> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>Files the toil changed.</summary>
    public IReadOnlyList<FileChange> Changes { get; private set; } = [];

    /// <summary>Gate results.</summary>
    public IReadOnlyList<GateResult> Gates { get; private set; } = [];

    /// <summary>Completed stage timings.</summary>
    public List<StageTiming> Timings { get; } = [];

    /// <summary>The final report when the mission finished.</summary>
    public MissionReport? Finished { get; private set; }

    /// <summary>True when <paramref name="stage"/> has completed.</summary>
    public bool IsDone(MissionStage stage) => LastDone is { } done && done >= stage;

    /// <summary>Replays the journal entries of one mission.</summary>
    public static MissionProgress Replay(IEnumerable<JournalEntry> entries)
    {
        var progress = new MissionProgress();
        var started = new Dictionary<MissionStage, DateTimeOffset>();
        foreach (var entry in entries)
        {
            switch (entry.Type)
            {
                case JournalEntryType.StageStarted when entry.Stage is { } stage:
                    started[stage] = entry.At;
                    break;
                case JournalEntryType.StageDone when entry.Stage is { } stage:
                    progress.Done(stage, started.GetValueOrDefault(stage, entry.At), entry.At, entry);
                    break;
                case JournalEntryType.AttemptStarted:
                    progress.StartAttempt(entry);
                    break;
                case JournalEntryType.MissionFinished:
                    progress.Finished = entry.Report;
                    break;
            }
        }

        return progress;
    }

    /// <summary>Records a completed stage.</summary>
    public void Done(MissionStage stage, DateTimeOffset started, DateTimeOffset finished, JournalEntry entry)
    {
        LastDone = stage;
        Timings.RemoveAll(t => t.Stage >= stage);
        Timings.Add(new StageTiming(stage, started, finished, true));
        foreach (var (key, value) in entry.Data ?? new Dictionary<string, string>())
        {
            Data[key] = value;
        }

        Changes = entry.Changes ?? Changes;
        Gates = entry.Gates ?? Gates;
    }

    /// <summary>Starts another attempt: toil and gates are redone; the worktree (Prepare) is kept.</summary>
    public void StartAttempt(JournalEntry entry)
    {
        foreach (var (key, value) in entry.Data ?? new Dictionary<string, string>())
        {
            Data[key] = value;
        }

        ResetFrom(MissionStage.Toil);
        Gates = [];
    }

    /// <summary>Forgets everything from <paramref name="stage"/> on (the stage must be redone).</summary>
    public void ResetFrom(MissionStage stage)
    {
        if (LastDone is { } done && done >= stage)
        {
            LastDone = stage == MissionStage.Prepare ? null : stage - 1;
        }

        Timings.RemoveAll(t => t.Stage >= stage);
    }
}
