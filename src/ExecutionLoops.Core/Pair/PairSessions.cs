using System.Globalization;
using System.Text.RegularExpressions;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>
/// The synchronous loop: start a session (goal, criteria, time box), give immediate feedback on every
/// call with a checkpoint of the working tree, take notes, rewind to any checkpoint without losing the
/// present, and end with a written record and drafted follow-up missions.
/// </summary>
public sealed partial class PairSessions(GitRepository git, PairStore store, ProcessRunner processes, TimeProvider clock, PairFeedbackRunner feedbackRunner)
{
    private readonly WorkingTreeSnapshot _snapshots = new(git);

    /// <summary>True when the config names an agent: follow-up drafts for agents then need no agent settings of their own.</summary>
    public bool AgentConfigured { get; init; }

    /// <summary>The store.</summary>
    public PairStore Store => store;

    /// <summary>Starts a session; a second session beside an active one needs its own name.</summary>
    public async Task<PairSession> StartAsync(PairStart start, IReadOnlyList<MissionBrief> briefs, CancellationToken cancellationToken)
    {
        var brief = start.BriefId is null ? null : briefs.FirstOrDefault(b => b.Id == start.BriefId && b.Loop == MissionLoop.Pair)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.InvalidPairBrief, $"There is no pair brief '{start.BriefId}'.", "Name a brief with 'loop: pair' in .loops/missions/.");
        var goal = start.Goal ?? brief?.Pair?.Goal ?? brief?.Title
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.NoPairSession, "A new pair session needs a goal.", "Pass --goal \"…\" (MSBuild: -p:Goal=\"…\"), or -p:PairBrief=<id>.");
        TimeSpan? timebox = brief?.Pair?.Timebox;
        if (start.Timebox is { } text)
        {
            timebox = DurationParser.TryParse(text, out var parsed) ? parsed : throw LoopsException.InvalidInput(DiagnosticCodes.InvalidTimebox, $"The time box '{text}' is not a duration.", DurationParser.Examples);
        }

        var id = start.SessionName ?? $"{clock.GetUtcNow():yyyyMMdd}-{Slug(goal)}";
        if (!ValidName().IsMatch(id))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"'{id}' is not a valid session name.", "Use lowercase letters, digits and dashes.");
        }

        if (store.ActiveId is { } active && active != id)
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.PairSessionActive, $"Pair session '{active}' is still active on this repository.", "End it (loops pair end), or name another session with --session (MSBuild: -p:PairSession=).");
        }

        if (store.Load(id) is { Ended: null })
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.PairSessionActive, $"Pair session '{id}' is already active.", "Continue it without a goal, or end it first.");
        }

        var now = clock.GetUtcNow();
        var snapshot = await _snapshots.TakeAsync($"refs/loops/pair/{id}/0", $"loops pair {id}: start", cancellationToken);
        var criteria = start.Criteria.Count > 0 ? start.Criteria : brief?.Success ?? [];
        var session = new PairSession { Id = id, Goal = goal, Criteria = criteria, Timebox = timebox, BriefId = brief?.Id, Started = now, StartSnapshot = snapshot };
        store.Save(session);
        return session;
    }

    /// <summary>
    /// One feedback call: build (and tests), checkpoint, dashboard and context pack. Watch mode
    /// (<paramref name="watching"/>) runs only the affected test projects and keeps only green states as checkpoints.
    /// </summary>
    public async Task<PairCheckResult> CheckAsync(string? sessionName, string project, bool runTests, int contextBudget, CancellationToken cancellationToken, BuildEvidence? evidence = null, bool watching = false)
    {
        var session = store.Require(sessionName);
        var tests = runTests || PairCriteria.NeedsTests(session.Criteria);
        IReadOnlyList<string>? affected = null;
        if (watching && tests)
        {
            var before = session.Checkpoints.Count > 0 ? session.Checkpoints[^1].Commit : session.StartSnapshot;
            var now = await _snapshots.TakeAsync($"refs/loops/pair/{session.Id}/working", $"loops pair {session.Id}: working state", cancellationToken);
            affected = AffectedTests.Find(git.Root, (await _snapshots.ChangesAsync(before, now, cancellationToken)).Select(c => c.Path));
        }

        var feedback = await feedbackRunner.RunAsync(git.Root, session.StartSnapshot, project, tests, evidence, cancellationToken, affected);
        if (session.BaselineWarnings is null)
        {
            session = session with { BaselineWarnings = feedback.Warnings.Count };
        }

        var previous = session.Checkpoints.Count > 0 ? session.Checkpoints[^1].Commit : session.StartSnapshot;
        var previousDiagnostics = session.LastFeedback is { } last ? last.Errors.Concat(last.Warnings).Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        var green = feedback.BuildSucceeded && feedback.FailedTests.Count == 0;
        PairCheckpoint checkpoint;
        if (green || !watching)
        {
            (session, checkpoint) = await AddCheckpointAsync(session, green ? "green" : "check", green, cancellationToken);
        }
        else
        {
            var scratch = await _snapshots.TakeAsync($"refs/loops/pair/{session.Id}/working", $"loops pair {session.Id}: working state", cancellationToken);
            checkpoint = new PairCheckpoint(0, clock.GetUtcNow(), scratch, "not kept (red)", false);
        }

        session = session with { LastFeedback = feedback };
        store.Save(session);

        var criteria = await PairCriteria.EvaluateAsync(session, feedback, git.Root, processes, cancellationToken);
        var newDiagnostics = feedback.Errors.Concat(feedback.Warnings).Where(d => !previousDiagnostics.Contains(d.ToString())).ToList();
        var changed = await _snapshots.ChangesAsync(previous, checkpoint.Commit, cancellationToken);
        var dashboard = PairDashboard.Write(session, feedback, criteria, newDiagnostics, changed, checkpoint, clock.GetUtcNow());
        await WriteContextAsync(session, checkpoint.Commit, feedback, criteria, contextBudget, cancellationToken);
        return new PairCheckResult(session, feedback, criteria, newDiagnostics, changed, checkpoint, dashboard);
    }

    /// <summary>Records a checkpoint without building.</summary>
    public async Task<PairCheckpoint> CheckpointAsync(string? sessionName, string label, CancellationToken cancellationToken)
    {
        var (session, checkpoint) = await AddCheckpointAsync(store.Require(sessionName), label, null, cancellationToken);
        store.Save(session);
        return checkpoint;
    }

    /// <summary>Appends a timestamped note.</summary>
    public PairNote Note(string? sessionName, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, "The note is empty.", "Pass the decision as --note \"…\" (MSBuild: -p:Note=\"…\").");
        }

        var session = store.Require(sessionName);
        var note = new PairNote(clock.GetUtcNow(), text.Trim());
        store.Save(session with { Notes = [.. session.Notes, note] });
        return note;
    }

    /// <summary>Restores the working tree to checkpoint <paramref name="number"/> after snapshotting the present as a new checkpoint.</summary>
    /// <returns>The checkpoint restored and the safety checkpoint of the state before.</returns>
    public async Task<(PairCheckpoint Restored, PairCheckpoint Safety)> RewindAsync(string? sessionName, int number, CancellationToken cancellationToken)
    {
        var session = store.Require(sessionName);
        var target = session.Checkpoints.FirstOrDefault(c => c.Number == number)
            ?? throw LoopsException.InvalidInput(
                DiagnosticCodes.UnknownCheckpoint,
                $"Pair session '{session.Id}' has no checkpoint {number}.",
                session.Checkpoints.Count == 0 ? "No checkpoints yet: run the Pair target or 'loops pair checkpoint'." : $"Checkpoints: {string.Join(", ", session.Checkpoints.Select(c => $"{c.Number} ({c.Label}, {c.At:HH:mm})"))}.");
        var (withSafety, safety) = await AddCheckpointAsync(session, $"before rewind to {number}", null, cancellationToken);
        await _snapshots.RestoreAsync(target.Commit, safety.Commit, cancellationToken);
        store.Save(withSafety with { Notes = [.. withSafety.Notes, new PairNote(clock.GetUtcNow(), $"Rewound to checkpoint {number}; the state before is checkpoint {safety.Number}.")] });
        return (target, safety);
    }

    /// <summary>Ends the session: writes the session record and drafts follow-up missions.</summary>
    public async Task<PairEndResult> EndAsync(string? sessionName, string? recordPath, string? project, CancellationToken cancellationToken)
    {
        var session = store.Require(sessionName);
        var (withFinal, final) = await AddCheckpointAsync(session, "end", null, cancellationToken);
        var ended = withFinal with { Ended = clock.GetUtcNow() };
        var changes = await _snapshots.ChangesAsync(session.StartSnapshot, final.Commit, cancellationToken);
        var diff = await git.RunCheckedAsync(["diff", "--no-color", "--unified=0", session.StartSnapshot, final.Commit], null, cancellationToken);
        var criteria = ended.LastFeedback is { } feedback ? await PairCriteria.EvaluateAsync(ended, feedback, git.Root, processes, cancellationToken) : ended.Criteria.Select(c => new CriterionResult(c, CriterionStatus.Unknown, "no feedback call was made")).ToList();
        var record = Path.GetFullPath(Path.Combine(git.Root, recordPath ?? Path.Combine("docs", "pair-sessions", $"{ended.Started:yyyy-MM-dd}-{Slug(ended.Goal)}.md")));
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        await File.WriteAllTextAsync(record, SessionRecordWriter.Write(ended, criteria, changes), cancellationToken);
        var misformatted = await MisformattedAsync(changes.Select(c => c.Path).Where(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(git.Root, p))).ToList(), project, cancellationToken);
        var drafts = FollowUpDrafter.Draft(ended, diff, Path.Combine(git.Root, ".loops", "missions", "drafts"), misformatted, AgentConfigured);
        store.Save(ended);
        return new PairEndResult(ended, record, drafts, criteria);
    }

    /// <summary>The changed files <c>dotnet format --verify-no-changes</c> would change (none when there is no project to format).</summary>
    private async Task<IReadOnlyList<string>> MisformattedAsync(IReadOnlyList<string> files, string? project, CancellationToken cancellationToken)
    {
        if (files.Count == 0 || project is null)
        {
            return [];
        }

        var result = await processes.RunAsync(DotnetCli.Command(git.Root, ["format", project, "--verify-no-changes", "--verbosity", "minimal", "--include", .. files]), cancellationToken);
        if (result.Succeeded)
        {
            return [];
        }

        return CompilerOutput.Parse(result.CombinedOutput, git.Root, DiagnosticCodes.FormatDirty).Select(d => d.Path!).Where(p => p is not null).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private async Task WriteContextAsync(PairSession session, string current, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, int budget, CancellationToken cancellationToken)
    {
        var diff = await git.RunCheckedAsync(["diff", "--no-color", session.StartSnapshot, current], null, cancellationToken);
        var changed = await _snapshots.ChangesAsync(session.StartSnapshot, current, cancellationToken);
        var text = ContextPackWriter.Write(session, feedback, criteria, diff, changed, git.Root, budget, clock.GetUtcNow());
        IgnoredFolder.Ensure(store.Directory);
        var path = store.ContextFile;
        // Written only when it changed, so editors and assistants watching it are not woken for nothing.
        if (!File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != text)
        {
            await File.WriteAllTextAsync(path, text, cancellationToken);
        }
    }

    private async Task<(PairSession Session, PairCheckpoint Checkpoint)> AddCheckpointAsync(PairSession session, string label, bool? green, CancellationToken cancellationToken)
    {
        var number = session.Checkpoints.Count + 1;
        var commit = await _snapshots.TakeAsync(session.RefFor(number), $"loops pair {session.Id}: checkpoint {number} ({label})", cancellationToken);
        var checkpoint = new PairCheckpoint(number, clock.GetUtcNow(), commit, label, green);
        return (session with { Checkpoints = [.. session.Checkpoints, checkpoint] }, checkpoint);
    }

    /// <summary>A short slug of a goal for ids and file names.</summary>
    public static string Slug(string text)
    {
        var words = SlugWords().Matches(text.ToLowerInvariant()).Select(m => m.Value).Take(6);
        var slug = string.Join('-', words);
        return slug.Length == 0 ? "session" : slug.Length > 48 ? slug[..48].TrimEnd('-') : slug;
    }

    [GeneratedRegex("[a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex SlugWords();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
