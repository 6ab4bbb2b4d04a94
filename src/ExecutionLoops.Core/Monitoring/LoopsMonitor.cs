using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Security;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// The monitoring front door (<see cref="LoopsEngine.Monitor"/>): the run history brought up to date, the insights
/// computed from it, and the dashboard page drawn from both. Hosts render; the numbers are computed here.
/// </summary>
public sealed class LoopsMonitor
{
    private readonly LoopsEngine _engine;

    internal LoopsMonitor(LoopsEngine engine) => _engine = engine;

    /// <summary>The history file (<c>history/runs.jsonl</c> under the state directory).</summary>
    public string HistoryPath => History.FilePath;

    private RunHistory History => new(_engine.Workspace.State, SecretMasker.Process);

    /// <summary>Syncs the run history with the journals and the review queue, and reads the rest of what the pages show.</summary>
    public async Task<MonitoringSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var history = History;
        var runs = history.Sync();
        var reviews = ReviewHistoryReader.Load(_engine.Workspace.State.Reviews);
        var open = reviews.Items
            .Where(i => i.State is ReviewState.Open or ReviewState.ChangesRequested)
            .OrderBy(i => i.Created)
            .Select(i => new OpenReviewItem(i.Id, i.MissionId, SecretMasker.Process.Mask(i.Title), i.Created, i.Updated, i.Revision, i.Draft, i.State == ReviewState.ChangesRequested))
            .ToList();
        var pairs = await PairHistoryReader.ReadAsync(Path.Combine(_engine.Workspace.Root, ".loops", "pair"), _engine.Workspace.Git, SecretMasker.Process, cancellationToken);
        var delegated = _engine.LoadCatalog().Briefs.Where(b => b.Loop == MissionLoop.Delegate).GroupBy(b => b.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Kind, StringComparer.Ordinal);
        return new MonitoringSnapshot(new DirectoryInfo(_engine.Workspace.Root).Name, _engine.Clock.GetUtcNow(), runs, open, pairs, delegated, history.Warnings);
    }

    /// <summary>Each mission's numbers over the window and the improvement suggestions.</summary>
    /// <param name="snapshot">What <see cref="SnapshotAsync"/> read.</param>
    /// <param name="since">The window's start, or null for all of the history.</param>
    /// <param name="mission">One mission, or null for all.</param>
    public static InsightsReport Insights(MonitoringSnapshot snapshot, DateTimeOffset? since = null, string? mission = null) =>
        InsightsCalculator.Calculate(snapshot.Runs, snapshot.PairSessions, snapshot.DelegatedMissions, since, mission);

    /// <summary>The dashboard: one self-contained HTML page (styles inline, charts as inline SVG, no script, no network), masked.</summary>
    public static string Dashboard(MonitoringSnapshot snapshot) =>
        SecretMasker.Process.Mask(Monitoring.Dashboard.DashboardPage.Render(snapshot, Insights(snapshot)));

    /// <summary>Adds the missions of merged per-job reports to the history; returns how many mission runs it added or updated.</summary>
    public int AddReports(IReadOnlyList<RunReport> reports) => History.AddReports(reports);
}
