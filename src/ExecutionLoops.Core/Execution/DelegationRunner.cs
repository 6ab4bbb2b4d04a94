using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Monitoring;
using ExecutionLoops.Processes;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Security;

namespace ExecutionLoops.Execution;

/// <summary>
/// Runs due missions one after another under the repository's run lock, journaling every step, and
/// finishes an interrupted run before starting anything new.
/// </summary>
internal sealed class DelegationRunner(LoopsWorkspace workspace, LoopsRegistry registry, ProcessRunner processes, TimeProvider clock, IRunObserver observer)
{
    /// <summary>
    /// Runs <paramref name="due"/>; when an earlier run was interrupted, finishes that run instead
    /// (its report says <see cref="RunReport.Resumed"/>).
    /// </summary>
    public async Task<RunReport> DelegateAsync(IReadOnlyList<MissionBrief> catalog, IReadOnlyList<MissionBrief> due, DelegationOptions options, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            return await DryRunAsync(due, cancellationToken);
        }

        using var runLock = await RunLock.AcquireAsync(workspace.State, "loops delegate", options.LockWait, clock, cancellationToken);
        if (RunJournal.FindUnfinished(workspace.State) is { } unfinished)
        {
            return await ResumeLockedAsync(unfinished, catalog, cancellationToken);
        }

        var (baseBranch, baseCommit) = await BaseResolver.ResolveAsync(workspace.Git, workspace.Config.BaseBranch, cancellationToken);
        var runId = RunId.New(clock.GetUtcNow());
        using var journal = RunJournal.Open(workspace.State, runId, clock);
        journal.Append(new JournalEntry
        {
            At = clock.GetUtcNow(),
            Type = JournalEntryType.RunStarted,
            Run = runId,
            Format = JournalFormat.Current,
            RunStart = new RunStartRecord(due.Select(m => m.Id).ToList(), baseCommit, baseBranch),
        });
        return await RunMissionsAsync(journal, due.Select(b => (b.Id, (MissionBrief?)b)).ToList(), [], baseBranch, baseCommit, resumed: false, cancellationToken);
    }

    /// <summary>Finishes the newest interrupted run, or returns null when there is none.</summary>
    public async Task<RunReport?> ResumeAsync(IReadOnlyList<MissionBrief> catalog, DelegationOptions options, CancellationToken cancellationToken)
    {
        using var runLock = await RunLock.AcquireAsync(workspace.State, "loops resume", options.LockWait, clock, cancellationToken);
        return RunJournal.FindUnfinished(workspace.State) is { } unfinished
            ? await ResumeLockedAsync(unfinished, catalog, cancellationToken)
            : null;
    }

    private async Task<RunReport> ResumeLockedAsync(string runId, IReadOnlyList<MissionBrief> catalog, CancellationToken cancellationToken)
    {
        using var journal = RunJournal.Open(workspace.State, runId, clock);
        var entries = RunJournal.Read(journal.Path);
        JournalFormat.EnsureResumable(entries, journal.Path);
        var started = entries.First(e => e.Type == JournalEntryType.RunStarted);
        var start = started.RunStart!;
        var briefs = catalog.ToDictionary(b => b.Id, StringComparer.Ordinal);
        var missions = start.Missions.Select(id => (id, briefs.GetValueOrDefault(id))).ToList();
        return await RunMissionsAsync(journal, missions, entries, start.BaseBranch, start.BaseCommit, resumed: true, cancellationToken, started.At);
    }

    private async Task<RunReport> RunMissionsAsync(
        RunJournal journal,
        IReadOnlyList<(string Id, MissionBrief? Brief)> missions,
        IReadOnlyList<JournalEntry> history,
        string? baseBranch,
        string baseCommit,
        bool resumed,
        CancellationToken cancellationToken,
        DateTimeOffset? startedAt = null)
    {
        var target = registry.RequireReviewTarget(workspace);
        var context = new RunContext(journal.RunId, workspace, registry, processes, clock, observer, SecretMasker.Process, journal, target, baseBranch, baseCommit);
        var runner = new MissionRunner(context);
        var reports = new List<MissionReport>();
        foreach (var (id, brief) in missions)
        {
            var progress = MissionProgress.Replay(history.Where(e => e.Mission == id));
            if (brief is null)
            {
                reports.Add(progress.Finished ?? Removed(id, journal));
                continue;
            }

            reports.Add(await runner.RunAsync(brief, progress, cancellationToken));
        }

        // A publish that failed keeps the run open: resume (or the next delegate) publishes it, never loses it.
        if (!reports.Any(r => r.PublishPending))
        {
            journal.Append(new JournalEntry { At = clock.GetUtcNow(), Type = JournalEntryType.RunFinished, Run = journal.RunId });
        }

        RecordHistory();
        return new RunReport
        {
            RunId = journal.RunId,
            Repository = workspace.Root,
            Started = startedAt ?? (history.Count > 0 ? history[0].At : (DateTimeOffset?)null) ?? reports.SelectMany(r => r.Stages).Select(s => s.Started).DefaultIfEmpty(clock.GetUtcNow()).Min(),
            Finished = clock.GetUtcNow(),
            Resumed = resumed,
            Missions = reports,
        };
    }

    /// <summary>
    /// Brings the run history up to date with this run. The history is derived data: when it cannot be written the
    /// run still succeeds, and the next sync (insights, dashboard, the next run) derives it from the journal.
    /// </summary>
    private void RecordHistory()
    {
        try
        {
            new RunHistory(workspace.State, SecretMasker.Process).Sync();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LoopsException)
        {
            // Derived data only: 'loops insights' and the next run sync it again from the journal.
        }
    }

    private MissionReport Removed(string id, RunJournal journal)
    {
        var diagnostic = Diagnostic.Error(DiagnosticCodes.UnknownMission, $"Mission '{id}' was part of the interrupted run but its brief no longer exists; skipped.");
        var report = new MissionReport { MissionId = id, Title = id, Kind = "?", Outcome = MissionOutcome.Errored, Message = diagnostic.Message, Diagnostics = [diagnostic] };
        journal.Append(new JournalEntry { At = clock.GetUtcNow(), Type = JournalEntryType.MissionFinished, Run = journal.RunId, Mission = id, Report = report });
        observer.MissionFinished(report);
        return report;
    }

    private async Task<RunReport> DryRunAsync(IReadOnlyList<MissionBrief> due, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (baseBranch, baseCommit) = await BaseResolver.ResolveAsync(workspace.Git, workspace.Config.BaseBranch, cancellationToken);
        var reports = due.Select(brief => new MissionReport
        {
            MissionId = brief.Id,
            Title = brief.Title,
            Kind = brief.Kind,
            Outcome = MissionOutcome.DryRun,
            Message = $"would run {brief.Kind} on loops/{brief.Id} from {baseBranch ?? "HEAD"} ({baseCommit[..7]}), gates: {string.Join(", ", workspace.Config.GatesFor(brief).Select(g => g.Name))}",
        }).ToList();
        foreach (var report in reports)
        {
            observer.MissionFinished(report);
        }

        return new RunReport { RunId = "dry-run", Repository = workspace.Root, Started = now, Finished = clock.GetUtcNow(), DryRun = true, Missions = reports };
    }
}
