using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// Derives the history records of one run from its journal: a finished mission from its journaled report, a mission
/// the run never finished (killed, crashed) from its replayed progress. The journal is the source of truth; the
/// history is only ever derived from it.
/// </summary>
internal static class JournalHistoryReader
{
    /// <summary>The records of the run whose journal is <paramref name="path"/>.</summary>
    /// <exception cref="LoopsException">EL2020 (journal damaged) from <see cref="RunJournal.Read"/>.</exception>
    public static IReadOnlyList<MissionRunRecord> Read(string path, SecretMasker masker)
    {
        var length = new FileInfo(path).Length;
        var entries = RunJournal.Read(path);
        var start = entries.FirstOrDefault(e => e.Type == JournalEntryType.RunStarted);
        if (start is null)
        {
            return [];
        }

        var order = start.RunStart?.Missions ?? [];
        var missions = order.Concat(entries.Select(e => e.Mission).OfType<string>()).Distinct(StringComparer.Ordinal);
        var records = new List<MissionRunRecord>();
        foreach (var mission in missions)
        {
            var own = entries.Where(e => e.Mission == mission).ToList();
            records.Add(FromEntries(start, mission, own, masker) with { JournalLength = length });
        }

        return records;
    }

    private static MissionRunRecord FromEntries(JournalEntry start, string mission, IReadOnlyList<JournalEntry> entries, SecretMasker masker)
    {
        var progress = MissionProgress.Replay(entries);
        var started = entries.FirstOrDefault(e => e.Type == JournalEntryType.StageStarted)?.At ?? start.At;
        var attempts = 1 + entries.Count(e => e.Type == JournalEntryType.AttemptStarted);
        var published = entries.LastOrDefault(e => e is { Type: JournalEntryType.StageDone, Done: PublishRecord })?.At;
        if (progress.Finished is { } report)
        {
            var finished = entries.Last(e => e.Type == JournalEntryType.MissionFinished).At;
            return FromReport(start.Run, report, started, finished, masker) with
            {
                Attempts = Math.Max(attempts, report.AgentUsage?.Attempts ?? 1),
                Published = report.ReviewItemId is null ? null : published ?? finished,
            };
        }

        // Killed before the mission finished: what its completed stages say, and that it never finished.
        return new MissionRunRecord
        {
            Run = start.Run,
            Mission = mission,
            Title = mission,
            Started = started,
            Outcome = MissionOutcome.Errored,
            Interrupted = true,
            Stages = progress.Timings.ToList(),
            Gates = progress.Gates.Select(Outcome).ToList(),
            FailureCodes = progress.Gates.Where(g => g.BlocksMission).SelectMany(Codes).Distinct(StringComparer.Ordinal).ToList(),
            Attempts = attempts,
            AgentUsage = progress.AgentUsage,
            Files = progress.Diff.Files,
            Insertions = progress.Diff.Insertions,
            Deletions = progress.Diff.Deletions,
            ReviewItem = progress.Published?.ReviewId,
            Published = published,
        };
    }

    /// <summary>A record from a mission's report (a journaled one, or one read from a merged per-job report).</summary>
    public static MissionRunRecord FromReport(string run, MissionReport report, DateTimeOffset started, DateTimeOffset? finished, SecretMasker masker)
    {
        var failedGates = report.Gates.Where(g => g.Status == GateStatus.Failed).ToList();
        // The mission's own diagnostics hold the gate findings when gates failed, and the toil's or the run's error otherwise.
        var codes = report.Diagnostics.Where(d => d.IsError).Select(d => d.Code)
            .Concat(failedGates.Where(g => g.Required).SelectMany(Codes))
            .Where(c => c.StartsWith("EL", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new MissionRunRecord
        {
            Run = run,
            Mission = report.MissionId,
            Title = masker.Mask(report.Title),
            Kind = report.Kind,
            Started = report.Stages.Count > 0 ? report.Stages.Min(s => s.Started) : started,
            Finished = finished ?? (report.Stages.Count > 0 ? report.Stages.Max(s => s.Finished) : null),
            Outcome = report.Outcome,
            Stages = report.Stages,
            Gates = report.Gates.Select(Outcome).ToList(),
            FailureCodes = report.Failed ? codes : [],
            Attempts = report.AgentUsage?.Attempts ?? 1,
            AgentUsage = report.AgentUsage,
            Files = report.Diff.Files,
            Insertions = report.Diff.Insertions,
            Deletions = report.Diff.Deletions,
            ReviewItem = report.ReviewItemId,
            Published = report.ReviewItemId is null ? null : report.Stages.LastOrDefault(s => s.Stage == MissionStage.Publish)?.Finished ?? finished,
        };
    }

    private static GateOutcome Outcome(GateResult gate) => new(gate.Name, gate.Status, gate.Required, Codes(gate).ToList());

    private static IEnumerable<string> Codes(GateResult gate) => gate.Diagnostics.Select(d => d.Code).Distinct(StringComparer.Ordinal);
}
