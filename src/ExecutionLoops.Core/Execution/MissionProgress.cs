using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>How far one mission of a run got, replayed from the journal.</summary>
internal sealed class MissionProgress
{
    private AttemptRecord? _attempt;

    /// <summary>The attempt the mission is in (1 unless an agent mission retried).</summary>
    public int Attempt => _attempt?.Number ?? 1;

    /// <summary>The failures of the attempt before this one, as the agent reads them, or null in the first attempt.</summary>
    public string? PreviousFailures => _attempt?.PreviousFailures;

    /// <summary>The last stage whose completion was journaled, or null when none was.</summary>
    public MissionStage? LastDone { get; private set; }

    /// <summary>The last journaled toil, or null before one completed.</summary>
    public ToilRecord? Toil { get; private set; }

    /// <summary>Files the toil changed.</summary>
    public IReadOnlyList<FileChange> Changes => Toil?.Changes ?? [];

    /// <summary>The size of the change.</summary>
    public DiffStat Diff => new(Changes.Count, Changes.Sum(c => c.Insertions), Changes.Sum(c => c.Deletions));

    /// <summary>What the sandbox reverted after the toil.</summary>
    public IReadOnlyList<Diagnostic> SandboxViolations => Toil?.SandboxViolations ?? [];

    /// <summary>Gate results.</summary>
    public IReadOnlyList<GateResult> Gates { get; private set; } = [];

    /// <summary>The mission commit, or null before one was made.</summary>
    public string? Commit { get; private set; }

    /// <summary>The published review item, or null before publishing.</summary>
    public PublishRecord? Published { get; private set; }

    /// <summary>What the agent used over all attempts, a failed (unjournaled) toil's attempt included.</summary>
    public AgentUsageReport? AgentUsage { get; set; }

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
                    progress.Done(stage, started.GetValueOrDefault(stage, entry.At), entry.At, entry.Done);
                    break;
                case JournalEntryType.AttemptStarted when entry.Attempt is { } attempt:
                    progress.StartAttempt(attempt);
                    break;
                case JournalEntryType.MissionFinished:
                    progress.Finished = entry.Report;
                    break;
            }
        }

        return progress;
    }

    /// <summary>Records a completed stage and what it produced.</summary>
    public void Done(MissionStage stage, DateTimeOffset started, DateTimeOffset finished, StageRecord? record)
    {
        LastDone = stage;
        Timings.RemoveAll(t => t.Stage >= stage);
        Timings.Add(new StageTiming(stage, started, finished, true));
        switch (record)
        {
            case ToilRecord toil:
                Toil = toil;
                AgentUsage = toil.AgentUsage ?? AgentUsage;
                break;
            case GatesRecord gates:
                Gates = gates.Results;
                break;
            case CommitRecord commit:
                Commit = commit.Sha;
                break;
            case PublishRecord published:
                Published = published;
                break;
        }
    }

    /// <summary>Starts another attempt: toil and gates are redone; the worktree (Prepare) is kept.</summary>
    public void StartAttempt(AttemptRecord attempt)
    {
        _attempt = attempt;
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
