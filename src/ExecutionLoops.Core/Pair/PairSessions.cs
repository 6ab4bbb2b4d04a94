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

    /// <summary>The project graph of the last watch run; read again only when a project file changed.</summary>
    private AffectedTests? _graph;

    /// <summary>True when the config names an agent: follow-up drafts for agents then need no agent settings of their own.</summary>
    public bool AgentConfigured { get; init; }

    /// <summary>Where the phases of each call are timed (<c>LOOPS_TRACE=1</c>); disabled by default.</summary>
    public PhaseTrace Trace { get; init; } = PhaseTrace.Disabled;

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
        var snapshot = await Trace.TimeAsync("snapshot", () => _snapshots.TakeAsync($"refs/loops/pair/{id}/0", $"loops pair {id}: start", cancellationToken, store.IndexFile(id)));
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
        var session = Trace.Time("session load", () => store.Require(sessionName));
        var tests = runTests || PairCriteria.NeedsTests(session.Criteria);
        var previous = session.Checkpoints.Count > 0 ? session.Checkpoints[^1].Commit : session.StartSnapshot;
        var keptIndex = store.IndexFile(session.Id);

        // The snapshot is taken once, before the build, so the checkpoint is the state that was built. It runs beside the
        // feedback when that needs no snapshot first (a build the MSBuild target already ran only has its log read).
        WorkingTreeState state;
        PairFeedback feedback;
        if (watching && tests)
        {
            state = await Trace.TimeAsync("snapshot", () => _snapshots.SnapshotAsync($"refs/loops/pair/{session.Id}/working", $"loops pair {session.Id}: working state", cancellationToken, keptIndex, LastState(session)));
            var changes = (await _snapshots.ChangesAsync(previous, state.Commit, cancellationToken)).Select(c => c.Path).ToList();
            if (_graph is null || changes.Any(AffectedTests.IsProjectFile))
            {
                _graph = Trace.Time("project graph", () => AffectedTests.Load(git.Root));
            }

            var affected = _graph.For(changes);
            var scope = evidence is null ? _graph.BuildScope(changes) : null;
            var target = scope is null ? project : await WatchBuildProjectAsync(session.Id, scope, cancellationToken);
            feedback = await Trace.TimeAsync("feedback", () => feedbackRunner.RunAsync(git.Root, session.StartSnapshot, target, tests, evidence, cancellationToken, affected));
            if (scope is not null && session.LastFeedback is { } before)
            {
                feedback = CarryOver(feedback, before, scope);
            }
        }
        else
        {
            // No ref of its own: the checkpoint that always follows outside watch mode points at it.
            var snapshot = Trace.TimeAsync("snapshot", () => _snapshots.SnapshotAsync(null, $"loops pair {session.Id}: working state", cancellationToken, keptIndex, LastState(session)));
            var run = Trace.TimeAsync("feedback", () => feedbackRunner.RunAsync(git.Root, session.StartSnapshot, project, tests, evidence, cancellationToken));
            await Task.WhenAll(snapshot, run);
            (state, feedback) = (await snapshot, await run);
        }

        if (session.BaselineWarnings is null)
        {
            session = session with { BaselineWarnings = feedback.Warnings.Count };
        }

        var previousDiagnostics = session.LastFeedback is { } last ? last.Errors.Concat(last.Warnings).Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        var green = feedback.BuildSucceeded && feedback.FailedTests.Count == 0;
        PairCheckpoint checkpoint;
        if (green || !watching)
        {
            (session, checkpoint) = await Trace.TimeAsync("checkpoint", () => AddCheckpointAsync(session, green ? "green" : "check", green, cancellationToken, state));
        }
        else
        {
            checkpoint = new PairCheckpoint(0, clock.GetUtcNow(), state.Commit, "not kept (red)", false) { Tree = state.Tree, Head = state.Head };
        }

        session = session with { LastFeedback = feedback };
        Trace.Time("session save", () => store.Save(session));

        var criteria = await Trace.TimeAsync("criteria", () => PairCriteria.EvaluateAsync(session, feedback, git.Root, processes, cancellationToken));
        var newDiagnostics = feedback.Errors.Concat(feedback.Warnings).Where(d => !previousDiagnostics.Contains(d.ToString())).ToList();
        var changed = await Trace.TimeAsync("changes", () => _snapshots.ChangesAsync(previous, checkpoint.Commit, cancellationToken));
        var dashboard = PairDashboard.Write(session, feedback, criteria, newDiagnostics, changed, checkpoint, clock.GetUtcNow());
        await Trace.TimeAsync("context pack", () => WriteContextAsync(session, state, feedback, criteria, contextBudget, cancellationToken));
        return new PairCheckResult(session, feedback, criteria, newDiagnostics, changed, checkpoint, dashboard);
    }

    /// <summary>
    /// The build of a watch run whose change lies inside projects: a traversal project (in the session's ignored folder)
    /// that builds only the changed projects and those referencing them, in one MSBuild invocation, instead of checking
    /// every project of the solution. It restores nothing: a change that could need a restore (a project file) never
    /// gets here. Rewritten only when the list changed.
    /// </summary>
    private async Task<string> WatchBuildProjectAsync(string id, IReadOnlyList<string> projects, CancellationToken cancellationToken)
    {
        var path = Path.Combine(store.Directory, id, "watch-build.proj");
        var items = string.Concat(projects.Select(p => $"    <LoopsWatchProject Include=\"{System.Security.SecurityElement.Escape(p)}\" />\n"));
        var text = $"""
            <Project DefaultTargets="Build">
              <!-- Written by loops pair watch: the projects a change can alter. -->
              <ItemGroup>
            {items}  </ItemGroup>
              <Target Name="Restore" />
              <Target Name="Build">
                <MSBuild Projects="@(LoopsWatchProject)" Targets="Build" BuildInParallel="true" />
              </Target>
            </Project>

            """;
        IgnoredFolder.Ensure(store.Directory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != text)
        {
            await File.WriteAllTextAsync(path, text, cancellationToken);
        }

        return path;
    }

    /// <summary>
    /// A scoped build reports only the projects it built: the diagnostics of the last feedback in every other project
    /// still stand (nothing changed there), so warnings are counted over the whole solution as before.
    /// </summary>
    private PairFeedback CarryOver(PairFeedback fresh, PairFeedback before, IReadOnlyList<string> built)
    {
        var folders = built.Select(p => Path.GetRelativePath(git.Root, Path.GetDirectoryName(p)!).Replace('\\', '/') + "/").ToList();
        bool Elsewhere(Diagnostic d) => d.Path is { } path && !folders.Any(f => f == "./" || path.Replace('\\', '/').StartsWith(f, StringComparison.Ordinal));
        var errors = fresh.Errors.Concat(before.Errors.Where(Elsewhere)).ToList();
        return fresh with
        {
            BuildSucceeded = fresh.BuildSucceeded && errors.Count == fresh.Errors.Count,
            Errors = errors,
            Warnings = fresh.Warnings.Concat(before.Warnings.Where(Elsewhere)).ToList(),
        };
    }

    /// <summary>Records a checkpoint without building.</summary>
    public async Task<PairCheckpoint> CheckpointAsync(string? sessionName, string label, CancellationToken cancellationToken)
    {
        var loaded = Trace.Time("session load", () => store.Require(sessionName));
        var (session, checkpoint) = await Trace.TimeAsync("checkpoint", () => AddCheckpointAsync(loaded, label, null, cancellationToken));
        if (!checkpoint.Reused)
        {
            Trace.Time("session save", () => store.Save(session));
        }

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
        // The kept index only speeds up the next checkpoint: an ended session has none.
        var keptIndex = store.IndexFile(ended.Id);
        File.Delete(keptIndex);
        File.Delete(keptIndex + ".head");
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

    /// <summary>
    /// Writes the context pack only when one of its inputs changed: the session (goal, criteria, notes, time box), the
    /// feedback, the criteria results, the budget and the snapshot's tree (which stands for the diff and the outlines).
    /// The digest of those inputs is kept beside the pack; an unchanged digest skips both git diffs and the write, so
    /// editors and assistants watching the file are not woken for nothing.
    /// </summary>
    private async Task WriteContextAsync(PairSession session, WorkingTreeState state, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, int budget, CancellationToken cancellationToken)
    {
        var digest = ContextPackInputs.Digest(session, state.Tree ?? state.Commit, feedback, criteria, budget);
        var path = store.ContextFile;
        if (File.Exists(path) && store.ContextDigest == digest)
        {
            return;
        }

        var diff = await git.RunCheckedAsync(["diff", "--no-color", session.StartSnapshot, state.Commit], null, cancellationToken);
        var changed = await _snapshots.ChangesAsync(session.StartSnapshot, state.Commit, cancellationToken);
        var text = ContextPackWriter.Write(session, feedback, criteria, diff, changed, git.Root, budget, clock.GetUtcNow());
        IgnoredFolder.Ensure(store.Directory);
        if (!File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != text)
        {
            await File.WriteAllTextAsync(path, text, cancellationToken);
        }

        store.ContextDigest = digest;
    }

    /// <summary>
    /// Records the next checkpoint: of <paramref name="snapshot"/> when this call already took one, else of a new
    /// snapshot. When the working tree and HEAD are as the last checkpoint recorded them, that checkpoint is returned
    /// again (<see cref="PairCheckpoint.Reused"/>) and the session is unchanged: no commit, no ref, no new number.
    /// </summary>
    private async Task<(PairSession Session, PairCheckpoint Checkpoint)> AddCheckpointAsync(PairSession session, string label, bool? green, CancellationToken cancellationToken, WorkingTreeState? snapshot = null)
    {
        var number = session.Checkpoints.Count + 1;
        if (snapshot is null)
        {
            snapshot = await _snapshots.SnapshotAsync(session.RefFor(number), $"loops pair {session.Id}: checkpoint {number} ({label})", cancellationToken, store.IndexFile(session.Id), LastState(session));
        }
        else if (!snapshot.Reused)
        {
            // A snapshot of this call already exists: the checkpoint is one more ref to it.
            await git.RunCheckedAsync(["update-ref", session.RefFor(number), snapshot.Commit], null, cancellationToken);
        }

        if (snapshot.Reused)
        {
            return (session, session.Checkpoints[^1] with { Reused = true });
        }

        var checkpoint = new PairCheckpoint(number, clock.GetUtcNow(), snapshot.Commit, label, green) { Tree = snapshot.Tree, Head = snapshot.Head };
        return (session with { Checkpoints = [.. session.Checkpoints, checkpoint] }, checkpoint);
    }

    /// <summary>The last checkpoint as a snapshot a new one may reuse; null when there is none, or it recorded no tree.</summary>
    private static WorkingTreeState? LastState(PairSession session) =>
        session.Checkpoints.Count > 0 && session.Checkpoints[^1] is { Tree: not null } last ? new WorkingTreeState(last.Commit, last.Tree, last.Head) : null;

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
