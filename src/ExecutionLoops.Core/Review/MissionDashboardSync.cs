using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Notifications;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Review;

/// <summary>
/// The engine's side of the mission dashboard: before a run, the ticked boxes of trusted people become missions to
/// run (the others are ignored, with a warning); after it, the page is rewritten from the briefs and the journals, every
/// box unticked, with a note for each request. The dashboard never fails a run: its problems are warnings (EL4033).
/// </summary>
internal sealed class MissionDashboardSync(LoopsWorkspace workspace, IMissionDashboard dashboard)
{
    /// <summary>True when the config turns the dashboard on.</summary>
    public static bool IsEnabled(LoopsConfig config) =>
        Briefs.OptionValues.ParseBool(config.ReviewOptions.GetValueOrDefault("dashboard")) == true;

    /// <summary>The requests on the page, and the warnings: one per untrusted tick, or one when the page cannot be read.</summary>
    public async Task<(IReadOnlyList<DashboardRequest> Requests, IReadOnlyList<Diagnostic> Warnings)> ReadAsync(IReadOnlyList<MissionBrief> briefs, CancellationToken cancellationToken)
    {
        try
        {
            var requests = await dashboard.ReadRequestsAsync(cancellationToken);
            var known = briefs.Where(b => b.Loop == MissionLoop.Delegate).Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
            var warnings = requests.Where(r => !r.Trusted).Select(r => Diagnostic.Warning(
                DiagnosticCodes.DashboardUntrustedTick,
                $"The box of mission '{r.MissionId}' on the mission dashboard was ticked by {r.RequestedBy ?? "someone unknown"}, who is not trusted; ignored, and unticked.",
                hint: "Ask someone with write access (review.trusted) to tick it.")).ToList();
            return (requests.Where(r => known.Contains(r.MissionId)).ToList(), warnings);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ([], [Failed("read", ex)]);
        }
    }

    /// <summary>Rewrites the page; returns a warning when it cannot.</summary>
    public async Task<IReadOnlyList<Diagnostic>> UpdateAsync(IReadOnlyList<MissionBrief> briefs, IReadOnlyList<DashboardRequest> handled, CancellationToken cancellationToken)
    {
        try
        {
            var (last, items) = LastReports();
            var rows = briefs.Where(b => b.Loop == MissionLoop.Delegate).OrderBy(b => b.Id, StringComparer.Ordinal).Select(b =>
            {
                var ran = last.TryGetValue(b.Id, out var report);
                return new DashboardMission(
                    b.Id,
                    b.Title,
                    b.Trigger.Schedule ?? "manual",
                    ran ? NotificationFactory.OutcomeName(report.Report.Outcome) : null,
                    ran ? report.At : null,
                    items.GetValueOrDefault(b.Id));
            }).ToList();
            await dashboard.UpdateAsync(rows, handled, cancellationToken);
            return [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [Failed("update", ex)];
        }
    }

    /// <summary>The last finished report of each mission, and its last published review item, from every journal.</summary>
    private (Dictionary<string, (MissionReport Report, DateTimeOffset At)> Last, Dictionary<string, string> Items) LastReports()
    {
        var last = new Dictionary<string, (MissionReport, DateTimeOffset)>(StringComparer.Ordinal);
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in RunJournal.All(workspace.State))
        {
            foreach (var entry in RunJournal.Read(path))
            {
                if (entry is { Type: JournalEntryType.MissionFinished, Mission: { } mission, Report: { } report })
                {
                    last[mission] = (report, entry.At);
                    if (report.ReviewItemId is { } item)
                    {
                        items[mission] = item;
                    }
                }
            }
        }

        return (last, items);
    }

    private static Diagnostic Failed(string what, Exception ex) =>
        Diagnostic.Warning(DiagnosticCodes.DashboardIssueFailed, $"Could not {what} the mission dashboard: {Security.SecretMasker.Process.Mask(ex.Message)}", hint: "The run is unaffected. Check the token's 'issues: write' permission.");
}
