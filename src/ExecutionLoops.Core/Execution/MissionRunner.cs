using System.Diagnostics;
using System.Text.Json;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Toil;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>
/// Runs one mission through its stages (prepare → toil → gates → commit → publish), journaling each
/// completed stage before the next starts and skipping the stages a resumed run already completed.
/// </summary>
internal sealed class MissionRunner(RunContext run)
{
    private string? _sandboxBackend;

    public async Task<MissionReport> RunAsync(MissionBrief brief, MissionProgress progress, CancellationToken cancellationToken)
    {
        if (progress.Finished is { } finished)
        {
            return finished;
        }

        var timeout = brief.Constraints.Timeout ?? run.Workspace.Config.MissionTimeout;
        using var missionTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        missionTimeout.CancelAfter(timeout);
        using var log = new FileMissionLog(LogPath(brief), run.Masker);
        var worktree = run.Workspace.State.WorktreeFor(brief.Id);
        _sandboxBackend = null;

        try
        {
            return await RunStagesAsync(brief, progress, worktree, log, timeout, missionTimeout.Token);
        }
        catch (OperationCanceledException) when (missionTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var diagnostic = Diagnostic.Error(DiagnosticCodes.ToilTimedOut, $"Mission '{brief.Id}' exceeded its timeout of {DurationParser.Format(timeout)} and was stopped.", brief.RelativePath, hint: "Raise constraints.timeout in the brief, or make the work smaller.");
            return await FinishAsync(brief, progress, MissionOutcome.ToilFailed, diagnostic.Message, [diagnostic], worktree);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && progress.IsDone(MissionStage.Commit) && !progress.IsDone(MissionStage.Publish))
        {
            log.Write(ex.ToString());
            return PublishPending(brief, progress, ex is LoopsException known ? known.Diagnostics : [Diagnostic.Error(DiagnosticCodes.PublishFailed, $"Publishing mission '{brief.Id}' failed: {ex.Message}")]);
        }
        catch (LoopsException ex)
        {
            log.Write(ex.ToString());
            return await FinishAsync(brief, progress, MissionOutcome.Errored, ex.Diagnostics[0].Message, ex.Diagnostics, worktree);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One mission's unexpected failure must not stop the run, or every resume would hit it again.
            log.Write(ex.ToString());
            var diagnostic = Diagnostic.Error(DiagnosticCodes.MissionCrashed, $"Mission '{brief.Id}' stopped on an unexpected error: {ex.Message}", brief.RelativePath, hint: $"See the mission log: {LogPath(brief)}");
            return await FinishAsync(brief, progress, MissionOutcome.Errored, diagnostic.Message, [diagnostic], worktree);
        }
    }

    private async Task<MissionReport> RunStagesAsync(MissionBrief brief, MissionProgress progress, string worktree, IMissionLog log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = run.ReviewTarget;

        // A worktree lost since the last run (temp cleaned, machine rebooted) means toil must be redone,
        // unless the change is already committed: commits live in the repository, not the worktree.
        if (!progress.IsDone(MissionStage.Commit) && !Directory.Exists(worktree))
        {
            progress.ResetFrom(MissionStage.Prepare);
        }

        // A toil interrupted half-way left the worktree in an unknown state: start it from a clean worktree.
        if (!progress.IsDone(MissionStage.Toil))
        {
            progress.ResetFrom(MissionStage.Prepare);
        }

        // Agent kinds correct themselves: failed required gates go back to the agent, up to max-attempts.
        // They work in a separate clone inside the OS sandbox, never in a worktree of the user's repository.
        var agent = RunsAgentCode(brief) ? Agents.AgentSettings.Resolve(run.Workspace.Config.Agent, brief.Agent).Settings : null;
        var sandbox = agent is null ? null : await MissionSandbox.OpenAsync(worktree, agent, run.Workspace.Git, run.Workspace.State.Root, run.Processes, cancellationToken);
        if (sandbox is not null)
        {
            log.Write($"sandbox: {sandbox.Describe()}");
            _sandboxBackend = sandbox.Describe();
        }

        var maxAttempts = agent?.MaxAttempts ?? 1;
        while (true)
        {
            if (!progress.IsDone(MissionStage.Prepare))
            {
                await StageAsync(brief, progress, MissionStage.Prepare, async () =>
                {
                    if (sandbox is not null)
                    {
                        await sandbox.PrepareAsync(run.Workspace.Git, run.BaseCommit, cancellationToken);
                        return new StageOutput(true, $"clone at {run.BaseCommit[..7]}, sandbox {sandbox.Choice.Backend?.Name ?? "none"}", new PrepareRecord(worktree));
                    }

                    await run.Workspace.Git.AddDetachedWorktreeAsync(worktree, run.BaseCommit, cancellationToken);
                    return new StageOutput(true, $"worktree at {run.BaseCommit[..7]}", new PrepareRecord(worktree));
                });
            }

            if (!progress.IsDone(MissionStage.Toil))
            {
                var feedback = await target.PendingFeedbackAsync(brief.Id, cancellationToken);
                ToilResult? toilResult = null;
                await StageAsync(brief, progress, MissionStage.Toil, async () =>
                {
                    toilResult = Masked(await ExecuteToilAsync(brief, worktree, feedback, log, timeout, progress, sandbox, cancellationToken));
                    var usage = AddUsage(progress, toilResult.Usage);
                    if (!toilResult.Succeeded)
                    {
                        return new StageOutput(false, toilResult.Summary);
                    }

                    var changes = await run.Workspace.Git.DiffWorkingTreeAsync(worktree, run.BaseCommit, cancellationToken);
                    var record = new ToilRecord(toilResult.Summary, changes, toilResult.SandboxViolations, toilResult.Details, usage);
                    var attemptNote = maxAttempts > 1 ? $" (attempt {progress.Attempt} of {maxAttempts})" : "";
                    return new StageOutput(true, $"{toilResult.Summary}; {changes.Count} file(s) changed{attemptNote}", record);
                });

                if (toilResult is { Succeeded: false } failed)
                {
                    return await FinishAsync(brief, progress, MissionOutcome.ToilFailed, failed.Summary, failed.Diagnostics, worktree, failed.LogTail);
                }
            }

            var violations = progress.SandboxViolations;
            if (progress.Changes.Count == 0 && violations.Count == 0)
            {
                return await FinishAsync(brief, progress, MissionOutcome.NoChanges, "The toil changed nothing; nothing to publish.", [], worktree);
            }

            if (!progress.IsDone(MissionStage.Gates))
            {
                await StageAsync(brief, progress, MissionStage.Gates, async () =>
                {
                    var results = new List<GateResult>();
                    if (violations.Count > 0)
                    {
                        results.Add(new GateResult("sandbox", GateStatus.Failed, true, TimeSpan.Zero, $"{violations.Count} change(s) reverted: {violations[0].Message}", violations));
                    }

                    results.AddRange(await EvaluateGatesAsync(brief, worktree, progress.Changes, log, sandbox, cancellationToken));
                    var blocked = results.Count(r => r.BlocksMission);
                    return new StageOutput(blocked == 0, GateLine(results), new GatesRecord(results));
                });
            }

            if (!progress.Gates.Any(g => g.BlocksMission))
            {
                break;
            }

            if (progress.Attempt < maxAttempts)
            {
                StartAttempt(brief, progress, progress.Attempt + 1, FailureReport(progress.Gates));
                continue;
            }

            var failedGates = progress.Gates.Where(g => g.BlocksMission).ToList();
            var diagnostics = failedGates.SelectMany(g => g.Diagnostics).ToList();
            if (agent is null)
            {
                var message = $"Required gate(s) failed: {string.Join(", ", failedGates.Select(g => g.Name))}. Nothing was published.";
                return await FinishAsync(brief, progress, MissionOutcome.GateFailed, message, diagnostics, worktree);
            }

            if (!agent.DraftOnFailure || progress.Changes.Count == 0)
            {
                var exhausted = Diagnostic.Error(DiagnosticCodes.AttemptsExhausted, $"All {maxAttempts} attempt(s) failed required gate(s): {string.Join(", ", failedGates.Select(g => g.Name))}. Nothing was published.", brief.RelativePath, hint: "Read the gate failures below; sharpen the specification or the scope, or set agent.draft-on-failure: true to review the last attempt as a draft.");
                return await FinishAsync(brief, progress, MissionOutcome.GateFailed, exhausted.Message, [exhausted, .. diagnostics], worktree);
            }

            // draft-on-failure: the last attempt goes to review as a draft, with the failing gates in its body.
            break;
        }

        if (!progress.IsDone(MissionStage.Commit))
        {
            await StageAsync(brief, progress, MissionStage.Commit, async () =>
            {
                var commit = await CommitAsync(brief, worktree, progress, cancellationToken);
                if (sandbox is not null)
                {
                    // The clone is not the user's repository: bring the commit over before the branch can point at it.
                    await run.Workspace.Git.FetchCommitAsync(worktree, commit, cancellationToken);
                }

                await run.Workspace.Git.SetBranchAsync(BranchFor(brief), commit, cancellationToken);
                return new StageOutput(true, commit[..7], new CommitRecord(commit));
            });
        }

        if (!progress.IsDone(MissionStage.Publish))
        {
            await StageAsync(brief, progress, MissionStage.Publish, async () =>
            {
                var item = await target.PublishAsync(BuildRequest(brief, progress), cancellationToken);
                return new StageOutput(true, $"{(item.Created ? "created" : "updated")} review item {item.Id} (revision {item.Revision})", new PublishRecord(item.Id, item.Location));
            });
        }

        var published = $"Review item {progress.Published!.ReviewId} is ready: {progress.Published.Location}";
        return await FinishAsync(brief, progress, MissionOutcome.Published, published, [], worktree);
    }

    /// <summary>Kinds whose toil runs agent-written code: isolated, always scanned for secrets, retried on failed gates.</summary>
    private bool RunsAgentCode(MissionBrief brief) => run.Registry.FindToil(brief.Kind)?.RunsAgentCode == true;

    /// <summary>Text from a toil (agent output, command tails, compiler errors) is masked before it is journaled, shown or published.</summary>
    private ToilResult Masked(ToilResult result) => result with
    {
        Summary = run.Masker.Mask(result.Summary),
        Details = run.Masker.MaskOrNull(result.Details),
        LogTail = run.Masker.Mask(result.LogTail),
        Diagnostics = result.Diagnostics.Select(Masked).ToList(),
        SandboxViolations = result.SandboxViolations.Select(Masked).ToList(),
    };

    private GateResult Masked(GateResult result) => result with
    {
        Summary = run.Masker.Mask(result.Summary),
        LogTail = run.Masker.Mask(result.LogTail),
        Diagnostics = result.Diagnostics.Select(Masked).ToList(),
    };

    private Diagnostic Masked(Diagnostic diagnostic) => diagnostic with { Message = run.Masker.Mask(diagnostic.Message), Hint = run.Masker.MaskOrNull(diagnostic.Hint) };

    /// <summary>Journals the start of another attempt: the toil and gates are redone in the same worktree with the failures as feedback.</summary>
    private void StartAttempt(MissionBrief brief, MissionProgress progress, int attempt, string failures)
    {
        var entry = new JournalEntry
        {
            At = run.Clock.GetUtcNow(),
            Type = JournalEntryType.AttemptStarted,
            Run = run.RunId,
            Mission = brief.Id,
            Attempt = new AttemptRecord(attempt, failures),
        };
        run.Journal.Append(entry);
        progress.StartAttempt(entry.Attempt);
        run.Observer.StageFinished(brief.Id, MissionStage.Gates, false, $"required gates failed; attempt {attempt} starts");
    }

    /// <summary>The failures of the last attempt, as the agent will read them.</summary>
    private static string FailureReport(IReadOnlyList<GateResult> gates) =>
        string.Join("\n", gates.Where(g => g.BlocksMission).SelectMany(g => new[] { $"Gate '{g.Name}' failed: {g.Summary}" }.Concat(g.Diagnostics.Take(20).Select(d => $"  {d}"))));

    /// <summary>Adds an attempt's usage to the mission's total (kept in the progress, journaled with the toil); null when the attempt reported none.</summary>
    private static AgentUsageReport? AddUsage(MissionProgress progress, AgentUsageReport? usage) =>
        usage is null ? null : progress.AgentUsage = progress.AgentUsage is { } earlier ? earlier.Add(usage) : usage;

    private async Task<ToilResult> ExecuteToilAsync(MissionBrief brief, string worktree, IReadOnlyList<ReviewFeedback> feedback, IMissionLog log, TimeSpan timeout, MissionProgress progress, MissionSandbox? sandbox, CancellationToken cancellationToken)
    {
        var toil = run.Registry.FindToil(brief.Kind);
        if (toil is null)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.UnknownKind, $"No executor for kind '{brief.Kind}' in this version.", brief.RelativePath, hint: "Run 'loops lint' to see which kinds are available."));
        }

        var context = new ToilContext(brief, run.Workspace.Config, worktree, feedback, log, sandbox?.Processes ?? run.Processes, timeout)
        {
            EngineProcesses = run.Processes,
            TempDirectory = sandbox?.TempDirectory,
            ArtifactsDirectory = Path.Combine(run.Workspace.State.Runs, run.RunId),
            BaseCommit = run.BaseCommit,
            Attempt = progress.Attempt,
            PreviousFailures = progress.PreviousFailures,
            RunGates = async token => FailureReport(await EvaluateGatesAsync(brief, worktree, await run.Workspace.Git.DiffWorkingTreeAsync(worktree, run.BaseCommit, token), log, sandbox, token)) is { Length: > 0 } report ? report : "All gates passed.",
        };
        try
        {
            return await toil.ExecuteAsync(context, cancellationToken);
        }
        catch (ToolNotFoundException ex)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToolMissing, ex.Message, brief.RelativePath, hint: $"Install '{ex.FileName}' or put it on PATH."));
        }
    }

    private async Task<IReadOnlyList<GateResult>> EvaluateGatesAsync(MissionBrief brief, string worktree, IReadOnlyList<FileChange> changes, IMissionLog log, MissionSandbox? sandbox, CancellationToken cancellationToken)
    {
        var session = new GateSession();
        var context = new GateContext(brief, run.Workspace.Config, worktree, run.BaseCommit, log, sandbox?.Processes ?? run.Processes, changes, session) { TempDirectory = sandbox?.TempDirectory, Isolated = sandbox?.Choice.Backend is not null, EngineProcesses = run.Processes };
        var results = new List<GateResult>();
        var specs = run.Workspace.Config.GatesFor(brief).ToList();
        if (sandbox is not null)
        {
            // Gates such as secrets run on agent-written code whether or not the brief lists them.
            specs.AddRange(run.Registry.GatesAlwaysOnAgentCode.Where(g => !specs.Any(s => s.Name == g.Name)).Select(g => GateSpec.Of(g.Name)));
        }

        foreach (var spec in specs)
        {
            var stopwatch = Stopwatch.StartNew();
            var gate = run.Registry.FindGate(spec.Name);
            try
            {
                results.Add(Masked(gate is null
                    ? Crashed(spec, stopwatch.Elapsed, $"No gate named '{spec.Name}' in this version.")
                    : await gate.EvaluateAsync(context, spec, cancellationToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A gate that throws is reported as a failed gate, never as a crashed run.
                log.Write($"gate {spec.Name} crashed: {ex}");
                results.Add(ex is ToolNotFoundException missing
                    ? Crashed(spec, stopwatch.Elapsed, missing.Message, DiagnosticCodes.ToolMissing)
                    : Crashed(spec, stopwatch.Elapsed, $"Gate '{spec.Name}' crashed: {ex.Message}"));
            }

            log.Write($"gate {spec.Name}: {results[^1].Status} ({results[^1].Summary})");
        }

        return results;
    }

    private static GateResult Crashed(GateSpec spec, TimeSpan duration, string message, string code = DiagnosticCodes.GateCrashed) =>
        new(spec.Name, GateStatus.Failed, spec.Required, duration, message, [Diagnostic.Error(code, message)]);

    private async Task<string> CommitAsync(MissionBrief brief, string worktree, MissionProgress progress, CancellationToken cancellationToken)
    {
        // A run killed between the commit and its journal entry has already committed: reuse that commit.
        var head = await run.Workspace.Git.ResolveCommitAsync("HEAD", worktree, cancellationToken);
        if (head is not null && head != run.BaseCommit)
        {
            var existing = await run.Workspace.Git.CommitMessageAsync(head, worktree, cancellationToken);
            if (existing.Contains($"Loops-Run: {run.RunId}", StringComparison.Ordinal))
            {
                return head;
            }
        }

        var message = CommitMessage(brief, progress.Toil?.Summary);
        return await run.Workspace.Git.CommitPathsAsync(worktree, progress.Changes.Select(c => c.Path).ToList(), message, cancellationToken);
    }

    private string CommitMessage(MissionBrief brief, string? toilSummary)
    {
        var subject = brief.Review.CommitMessage ?? brief.Review.Title ?? $"chore(loops): {brief.Title}";
        var body = string.IsNullOrWhiteSpace(toilSummary) ? "" : $"{toilSummary}\n\n";
        return $"{subject}\n\n{body}Mission-Id: {brief.Id}\nLoops-Run: {run.RunId}\n";
    }

    private ReviewRequest BuildRequest(MissionBrief brief, MissionProgress progress)
    {
        var diff = Diff(progress.Changes);
        var draft = brief.Review.DraftWhen switch
        {
            DraftPolicy.Always => true,
            DraftPolicy.Never => false,
            _ => progress.Gates.Any(g => g.Status == GateStatus.Failed),
        };
        var body = run.Masker.Mask(ReviewBodyWriter.Write(brief, progress.Gates, diff, progress.Timings, run.RunId, run.ReviewTarget.FeedbackHowTo(brief.Id), run.ReviewTarget.LogUrl, progress.Toil?.Details));
        return new ReviewRequest(brief, run.RunId, BranchFor(brief), run.BaseBranch, run.BaseCommit, progress.Commit!, run.Masker.Mask(brief.Review.Title ?? brief.Title), body, draft, diff, progress.Gates);
    }

    private async Task StageAsync(MissionBrief brief, MissionProgress progress, MissionStage stage, Func<Task<StageOutput>> work)
    {
        var started = run.Clock.GetUtcNow();
        run.Journal.Append(new JournalEntry { At = started, Type = JournalEntryType.StageStarted, Run = run.RunId, Mission = brief.Id, Stage = stage });
        run.Observer.StageStarted(brief.Id, stage);
        StageOutput outcome;
        try
        {
            outcome = await work();
        }
        catch (Exception)
        {
            progress.Timings.Add(new StageTiming(stage, started, run.Clock.GetUtcNow(), false));
            run.Observer.StageFinished(brief.Id, stage, false, "error");
            throw;
        }

        var finished = run.Clock.GetUtcNow();
        if (outcome.Record is not null)
        {
            // Journal the completed stage before anything else happens: this line is what a resume trusts.
            var done = new JournalEntry
            {
                At = finished,
                Type = JournalEntryType.StageDone,
                Run = run.RunId,
                Mission = brief.Id,
                Stage = stage,
                Done = outcome.Record,
            };
            run.Journal.Append(done);
            progress.Done(stage, started, finished, outcome.Record);
            if (!outcome.Succeeded)
            {
                progress.Timings[^1] = progress.Timings[^1] with { Succeeded = false };
            }
        }
        else
        {
            progress.Timings.Add(new StageTiming(stage, started, finished, outcome.Succeeded));
        }

        run.Observer.StageFinished(brief.Id, stage, outcome.Succeeded, outcome.Detail);
    }

    private async Task<MissionReport> FinishAsync(MissionBrief brief, MissionProgress progress, MissionOutcome outcome, string message, IReadOnlyList<Diagnostic> diagnostics, string worktree, string? logTail = null)
    {
        var keepWorktree = outcome is MissionOutcome.GateFailed or MissionOutcome.ToilFailed or MissionOutcome.Errored && Directory.Exists(worktree);
        var report = Report(brief, progress, outcome, keepWorktree ? $"{message} Worktree kept for inspection: {worktree}" : message, diagnostics) with { LogTail = run.Masker.MaskOrNull(logTail) };
        run.Journal.Append(new JournalEntry { At = run.Clock.GetUtcNow(), Type = JournalEntryType.MissionFinished, Run = run.RunId, Mission = brief.Id, Report = report });
        if (!keepWorktree)
        {
            await new MissionClone(worktree).RemoveAsync(run.Workspace.Git, CancellationToken.None);
        }

        run.Observer.MissionFinished(report);
        return report;
    }

    /// <summary>
    /// The change is committed but publishing failed (the review target or its folder was unreachable): the mission is
    /// not finished in the journal, so the run stays open and 'loops resume' or the next 'loops delegate' publishes it.
    /// </summary>
    private MissionReport PublishPending(MissionBrief brief, MissionProgress progress, IReadOnlyList<Diagnostic> problems)
    {
        const string Retried = "it is retried by 'loops resume' or the next 'loops delegate'";
        var message = $"Committed {progress.Commit![..7]} on {BranchFor(brief)}, but publishing failed; {Retried}.";
        var report = Report(brief, progress, MissionOutcome.Errored, message, problems.Select(d => d with { Hint = $"The change is committed on its branch; publishing {Retried}." }).ToList()) with { PublishPending = true };
        run.Observer.MissionFinished(report);
        return report;
    }

    /// <summary>What the mission's progress says about it, masked.</summary>
    private MissionReport Report(MissionBrief brief, MissionProgress progress, MissionOutcome outcome, string message, IReadOnlyList<Diagnostic> diagnostics) => new()
    {
        MissionId = brief.Id,
        Title = brief.Title,
        Kind = brief.Kind,
        Outcome = outcome,
        Message = run.Masker.Mask(message),
        Branch = progress.Commit is null ? null : BranchFor(brief),
        Commit = progress.Commit,
        ReviewItemId = progress.Published?.ReviewId,
        ReviewLocation = progress.Published?.Location,
        Diff = Diff(progress.Changes),
        Stages = progress.Timings.ToList(),
        Gates = progress.Gates,
        Diagnostics = diagnostics.Select(Masked).ToList(),
        Toil = progress.Toil?.Summary,
        AgentUsage = progress.AgentUsage,
        Sandbox = _sandboxBackend,
        LogPath = LogPath(brief),
    };

    private static string BranchFor(MissionBrief brief) => $"loops/{brief.Id}";

    private string LogPath(MissionBrief brief) => Path.Combine(run.Workspace.State.Runs, run.RunId, $"{brief.Id}.log");

    private static DiffStat Diff(IReadOnlyList<FileChange> changes) =>
        new(changes.Count, changes.Sum(c => c.Insertions), changes.Sum(c => c.Deletions));

    private static string GateLine(IReadOnlyList<GateResult> results) =>
        results.Count == 0 ? "no gates" : string.Join(", ", results.Select(r => $"{r.Name} {(r.Status == GateStatus.Passed ? "✓" : r.Status == GateStatus.Skipped ? "–" : "✗")}"));

    /// <summary>What a stage produced; <paramref name="Record"/> is null for a failed toil, which is not journaled: a resume must redo it.</summary>
    private sealed record StageOutput(bool Succeeded, string Detail, StageRecord? Record = null);
}
