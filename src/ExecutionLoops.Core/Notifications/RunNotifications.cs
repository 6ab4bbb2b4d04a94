using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.Notifications;

/// <summary>
/// The notifications at the end of <c>loops delegate</c>, <c>loops resume</c> and <c>loops feedback</c>: failures and
/// publishes of the run, then the review items that have waited longer than <c>stale-after</c> (asked of the target,
/// and reported once per revision). Everything that goes wrong is returned as warnings.
/// </summary>
internal sealed class RunNotifications(LoopsWorkspace workspace, LoopsRegistry registry, TimeProvider clock, Notifier notifier, SecretMasker masker)
{
    public async Task<IReadOnlyList<Diagnostic>> AfterRunAsync(RunReport? report, IReadOnlyList<MissionBrief> briefs, CancellationToken cancellationToken)
    {
        if (report?.DryRun == true)
        {
            return [];
        }

        try
        {
            var byId = briefs.GroupBy(b => b.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var target = registry.RequireReviewTarget(workspace);
            var repository = workspace.Config.ReviewOptions.GetValueOrDefault("repository") ?? Path.GetFileName(workspace.Root.TrimEnd(Path.DirectorySeparatorChar));
            var factory = new NotificationFactory(repository, workspace.Config, byId, masker, clock, target.LogUrl);
            var notifications = report is null ? [] : factory.FromRun(report).ToList();
            var ledger = new StaleReviewLedger(workspace.State.Root);
            var asksForStale = new[] { workspace.Config.Notify }.Concat(byId.Keys.Select(factory.SettingsFor)).Any(s => s.ChannelsFor(NotifyEvent.StaleReview).Any());
            var stale = new List<(Notification, NotifySettings)>();
            IReadOnlyList<OpenReviewItem> open = [];
            if (asksForStale && target is IOpenReviewItems lister)
            {
                open = (await lister.OpenItemsAsync(cancellationToken)).Where(i => !ledger.AlreadyReported(i)).ToList();
                stale = factory.FromOpenItems(open).ToList();
                notifications.AddRange(stale);
            }

            if (notifications.Count == 0)
            {
                return [];
            }

            var result = await notifier.SendAsync(notifications, cancellationToken);
            var reported = stale.Where(s => result.Delivered.Contains(s.Item1)).Select(s => s.Item1.ReviewItemId).ToHashSet(StringComparer.Ordinal);
            ledger.Record(open.Where(i => reported.Contains(i.Id)).Select(i => (i.Id, i.Revision)));
            return result.Warnings;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [Diagnostic.Warning(DiagnosticCodes.NotificationFailed, masker.Mask($"Notifications were not sent: {ex.Message}"), hint: "The run is unaffected.")];
        }
    }
}
