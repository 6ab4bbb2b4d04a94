using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Journals one mission's steps and applies each to its progress. A completed stage is on disk before the next
/// starts: that line is what a resume trusts.
/// </summary>
internal sealed class MissionJournal(MissionContext mission)
{
    private RunContext Run => mission.Run;

    /// <summary>Journals the start of <paramref name="stage"/>, runs it, and journals what it produced.</summary>
    public async Task RunStageAsync(MissionStage stage, Func<Task<StageOutput>> work)
    {
        var started = Run.Clock.GetUtcNow();
        Run.Journal.Append(Entry(JournalEntryType.StageStarted, started) with { Stage = stage });
        Run.Observer.StageStarted(mission.Brief.Id, stage);
        StageOutput output;
        try
        {
            output = await work();
        }
        catch (Exception)
        {
            mission.Progress.Timings.Add(new StageTiming(stage, started, Run.Clock.GetUtcNow(), false));
            Run.Observer.StageFinished(mission.Brief.Id, stage, false, "error");
            throw;
        }

        var finished = Run.Clock.GetUtcNow();
        if (output.Record is { } record)
        {
            Run.Journal.Append(Entry(JournalEntryType.StageDone, finished) with { Stage = stage, Done = record });
            mission.Progress.Done(stage, started, finished, record);
            mission.Progress.Timings[^1] = mission.Progress.Timings[^1] with { Succeeded = output.Succeeded };
        }
        else
        {
            mission.Progress.Timings.Add(new StageTiming(stage, started, finished, output.Succeeded));
        }

        Run.Observer.StageFinished(mission.Brief.Id, stage, output.Succeeded, output.Detail);
    }

    /// <summary>Journals the start of another attempt: toil and gates are redone in the same worktree with the failures as feedback.</summary>
    public void StartAttempt(AttemptRecord attempt)
    {
        Run.Journal.Append(Entry(JournalEntryType.AttemptStarted, Run.Clock.GetUtcNow()) with { Attempt = attempt });
        mission.Progress.StartAttempt(attempt);
        Run.Observer.StageFinished(mission.Brief.Id, MissionStage.Gates, false, $"required gates failed; attempt {attempt.Number} starts");
    }

    /// <summary>Journals the mission's report: a resume returns it as it is.</summary>
    public void Finish(MissionReport report) =>
        Run.Journal.Append(Entry(JournalEntryType.MissionFinished, Run.Clock.GetUtcNow()) with { Report = report });

    private JournalEntry Entry(JournalEntryType type, DateTimeOffset at) => new() { At = at, Type = type, Run = Run.RunId, Mission = mission.Brief.Id };
}
