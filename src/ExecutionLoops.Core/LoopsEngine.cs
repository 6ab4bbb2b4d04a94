using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Planning;
using ExecutionLoops.Processes;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Workspace;

namespace ExecutionLoops;

/// <summary>
/// The engine's front door for every host (CLI, MSBuild, Cake, CI actions): opens a repository, loads
/// its config and briefs, plans and runs delegation. Hosts translate their inputs into these calls
/// and the results into their outputs; they hold no engine logic.
/// </summary>
public sealed class LoopsEngine
{
    private LoopsEngine(LoopsWorkspace workspace, LoopsRegistry registry, ProcessRunner processes, TimeProvider clock, IReadOnlyList<Diagnostic> configDiagnostics)
    {
        Workspace = workspace;
        Registry = registry;
        Processes = processes;
        Clock = clock;
        ConfigDiagnostics = configDiagnostics;
    }

    /// <summary>The repository, its config and state paths.</summary>
    public LoopsWorkspace Workspace { get; }

    /// <summary>The registered toil kinds, gates and review targets.</summary>
    public LoopsRegistry Registry { get; }

    /// <summary>Starts external programs.</summary>
    public ProcessRunner Processes { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Warnings (and, for lint, errors) found in <c>.loops/config.yml</c>.</summary>
    public IReadOnlyList<Diagnostic> ConfigDiagnostics { get; }

    /// <summary>
    /// Opens the git repository containing <paramref name="path"/> and loads its config.
    /// Config errors throw (exit code 2) unless <paramref name="tolerateConfigErrors"/> (lint reports them itself).
    /// </summary>
    /// <param name="path">A folder inside the repository.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <param name="processes">Starts programs (default: the real runner, timed on <paramref name="clock"/>).</param>
    /// <param name="clock">The clock (default: the system clock).</param>
    /// <param name="tolerateConfigErrors">Return config errors instead of throwing.</param>
    /// <param name="extensions">The parts a host adds (the GitHub review target, a host's own kinds or gates); Core knows only its built-in ones.</param>
    public static async Task<LoopsEngine> OpenAsync(string path, CancellationToken cancellationToken, ProcessRunner? processes = null, TimeProvider? clock = null, bool tolerateConfigErrors = false, LoopsExtensions? extensions = null)
    {
        clock ??= TimeProvider.System;
        processes ??= new ProcessRunner(clock);
        var git = await GitRepository.DiscoverAsync(path, processes, cancellationToken);
        var registry = LoopsRegistry.CreateDefault(processes, clock, extensions);
        var (config, diagnostics) = ConfigLoader.Load(git.Root, registry.Vocabulary);
        if (!tolerateConfigErrors && diagnostics.Any(d => d.IsError))
        {
            throw new LoopsException(ExitCodes.InvalidInput, diagnostics);
        }

        var workspace = new LoopsWorkspace(git, config, StatePaths.For(git.Root, config.StateDirectory));

        // The webhook URLs and keys are secrets from the start: nothing the run prints or stores may show them.
        Notifications.Notifier.ForProcess(clock).RegisterSecrets(config.Notify);
        return new LoopsEngine(workspace, registry, processes, clock, diagnostics);
    }

    /// <summary>
    /// Lints the config and briefs of the repository at (or above) <paramref name="path"/>. Needs no git:
    /// the root is the nearest folder with a <c>.loops</c> or <c>.git</c> entry, else <paramref name="path"/>.
    /// </summary>
    public static CatalogLoadResult Lint(string path, IReadOnlyList<string>? paths = null, LoopsExtensions? extensions = null)
    {
        var root = FindRoot(path);
        var vocabulary = LoopsRegistry.VocabularyOf(extensions);
        var (config, configDiagnostics) = ConfigLoader.Load(root, vocabulary);
        var catalog = MissionCatalog.Load(root, config, vocabulary, paths);
        var solution = catalog.Briefs.Any(b => b.Loop == MissionLoop.Delegate && b.Solution is null) && SolutionLocator.Check(root, config.Solution) is { } problem
            ? [Diagnostic.Warning(problem.Code, $"{problem.Message} Missions without 'solution:' will fail their first dotnet step.", LoopsConfig.DefaultPath, 1, 1, problem.Hint)]
            : Array.Empty<Diagnostic>();
        return catalog with { Diagnostics = [.. configDiagnostics, .. solution, .. catalog.Diagnostics] };
    }

    private static string FindRoot(string path)
    {
        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".loops")) || Path.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        return path;
    }

    /// <summary>Loads and lints the briefs (all configured ones, or the given files and folders), config diagnostics included.</summary>
    public CatalogLoadResult LoadCatalog(IReadOnlyList<string>? paths = null)
    {
        var catalog = MissionCatalog.Load(Workspace.Root, Workspace.Config, Registry.Vocabulary, paths is { Count: > 0 } ? paths : null);
        return catalog with { Diagnostics = [.. ConfigDiagnostics, .. catalog.Diagnostics] };
    }

    /// <summary>Plans the briefs against the journal's last successful runs.</summary>
    public IReadOnlyList<PlannedMission> Plan(IReadOnlyList<MissionBrief> briefs, PlanRequest request) =>
        new Planner(Clock).Plan(briefs, RunJournal.LastSuccesses(Workspace.State), request);

    /// <summary>
    /// Lints every brief (any error stops the run with exit code 2), plans, and runs the due missions;
    /// an interrupted earlier run is finished first instead.
    /// </summary>
    public async Task<RunReport> DelegateAsync(PlanRequest request, DelegationOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        var catalog = RequireValidCatalog();
        var due = Plan(catalog.Briefs, request).Where(p => p.Due).Select(p => p.Brief).ToList();

        // Missions a trusted person asked for on the mission dashboard run now, with whatever else is due.
        var dashboard = options.DryRun || !MissionDashboardSync.IsEnabled(Workspace.Config) || Registry.RequireReviewTarget(Workspace).Dashboard is not { } page ? null : new MissionDashboardSync(Workspace, page);
        var (requests, warnings) = dashboard is null ? ([], []) : await dashboard.ReadAsync(catalog.Briefs, cancellationToken);
        foreach (var requested in requests.Where(r => r.Trusted).Select(r => r.MissionId).Distinct(StringComparer.Ordinal))
        {
            if (!due.Any(b => b.Id == requested))
            {
                due.Add(catalog.Briefs.First(b => b.Id == requested));
            }
        }

        var report = await Runner(observer).DelegateAsync(catalog.Briefs, due, options, cancellationToken);
        var dashboardWarnings = dashboard is null ? [] : await dashboard.UpdateAsync(catalog.Briefs, requests, cancellationToken);
        return report with { Warnings = [.. report.Warnings, .. warnings, .. dashboardWarnings, .. await NotifyAsync(report, catalog.Briefs, cancellationToken)] };
    }

    /// <summary>
    /// The missions trusted people asked for on the mission dashboard (<c>review.dashboard: true</c>), for hosts that
    /// run them outside a scheduled run (<c>loops feedback</c> with nothing else to do); empty when the dashboard is
    /// off, cannot be read, or nobody trusted ticked a box. <see cref="DelegateAsync"/> reads them by itself.
    /// </summary>
    public async Task<IReadOnlyList<string>> DashboardRequestsAsync(CancellationToken cancellationToken)
    {
        if (!MissionDashboardSync.IsEnabled(Workspace.Config) || Registry.RequireReviewTarget(Workspace).Dashboard is not { } page)
        {
            return [];
        }

        var (requests, _) = await new MissionDashboardSync(Workspace, page).ReadAsync(RequireValidCatalog().Briefs, cancellationToken);
        return requests.Where(r => r.Trusted).Select(r => r.MissionId).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Finishes the newest interrupted run; null when there is none.</summary>
    public async Task<RunReport?> ResumeAsync(DelegationOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        var catalog = RequireValidCatalog();
        var report = await Runner(observer).ResumeAsync(catalog.Briefs, options, cancellationToken);
        return report is null ? null : report with { Warnings = [.. report.Warnings, .. await NotifyAsync(report, catalog.Briefs, cancellationToken)] };
    }

    /// <summary>
    /// Sends the notifications <c>notify:</c> asks for: the failures and publishes of <paramref name="report"/> (none
    /// when null), and review items waiting longer than <c>stale-after</c>. Never throws for a channel's sake: what
    /// goes wrong comes back as warnings (EL4030–EL4032), and the run's outcome and exit code stay as they are.
    /// </summary>
    public async Task<IReadOnlyList<Diagnostic>> NotifyAsync(RunReport? report, IReadOnlyList<MissionBrief> briefs, CancellationToken cancellationToken) =>
        await new Notifications.RunNotifications(Workspace, Registry, Clock, Notifications.Notifier.ForProcess(Clock), Security.SecretMasker.Process).AfterRunAsync(report, briefs, cancellationToken);

    /// <summary>The briefs, or an exit-code-2 failure listing every brief error.</summary>
    public CatalogLoadResult RequireValidCatalog()
    {
        var catalog = LoadCatalog();
        return catalog.HasErrors ? throw new LoopsException(ExitCodes.InvalidInput, catalog.Diagnostics.Where(d => d.IsError).ToList()) : catalog;
    }

    /// <summary>The conversation on the configured review target's items, for <c>loops feedback</c>.</summary>
    /// <exception cref="LoopsException">EL4001 when the target is unknown; EL4008 when it takes no feedback.</exception>
    public IReviewConversation OpenReviewConversation()
    {
        var target = Registry.RequireReviewTarget(Workspace);
        return target.Conversation ?? throw LoopsException.InvalidInput(
            DiagnosticCodes.ReviewConversationUnsupported,
            $"The review target '{target.Name}' takes no feedback: reviewers cannot comment on its items or give /loops commands there.",
            "Review its items where they are published; for loops feedback, use a target that takes comments, such as the local queue (review: {target: local} in .loops/config.yml).",
            LoopsConfig.DefaultPath);
    }

    /// <summary>The run history, insights and dashboard of this repository.</summary>
    public Monitoring.LoopsMonitor Monitor => new(this);

    /// <summary>Read-only gates on the working tree in place.</summary>
    public WorkingTreeCheck WorkingTree => new(Workspace, Registry, Processes, Clock);

    /// <summary>The pair session's assistant: ask, accept, reject.</summary>
    public Pair.PairAssistant PairAssistant => new(Pair, Workspace.Git, Processes, Workspace.Config);

    /// <summary>The pair sessions of this repository (state under <c>.loops/pair/</c>).</summary>
    public Pair.PairSessions Pair => OpenPair(PhaseTrace.Disabled);

    /// <summary>The pair sessions, timing each phase of their calls on <paramref name="trace"/>.</summary>
    public Pair.PairSessions OpenPair(PhaseTrace trace) => new(Workspace.Git, new Pair.PairStore(Path.Combine(Workspace.Root, ".loops", "pair")), Processes, Clock, new Pair.PairFeedbackRunner(Registry, Workspace.Config, Processes, Clock))
    {
        AgentConfigured = Agents.AgentSettings.Resolve(Workspace.Config.Agent, new Dictionary<string, string>()).Problems.Count == 0,
        Trace = trace,
    };

    private DelegationRunner Runner(IRunObserver observer) => new(Workspace, Registry, Processes, Clock, observer);
}
