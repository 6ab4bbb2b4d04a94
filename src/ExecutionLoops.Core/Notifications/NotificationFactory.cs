using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Security;

namespace ExecutionLoops.Notifications;

/// <summary>
/// Turns a run's mission reports and stale review items into notifications, each with the settings of its mission
/// (the brief's <c>notify:</c> over the config's). Every text is masked here, before any channel sees it.
/// </summary>
internal sealed class NotificationFactory(string repository, LoopsConfig config, IReadOnlyDictionary<string, MissionBrief> briefs, SecretMasker masker, TimeProvider clock, string? logUrl)
{
    /// <summary>The settings <paramref name="missionId"/> runs with.</summary>
    public NotifySettings SettingsFor(string missionId) =>
        briefs.TryGetValue(missionId, out var brief) && brief.Settings.TryGetValue(typeof(NotifySettings), out var own)
            ? ((NotifySettings)own).Over(config.Notify)
            : config.Notify;

    /// <summary>A failure or publish notification per mission whose settings ask for it.</summary>
    public IEnumerable<(Notification, NotifySettings)> FromRun(RunReport report)
    {
        foreach (var mission in report.Missions)
        {
            var notifyEvent = mission.Failed ? NotifyEvent.Failure : mission.Outcome == MissionOutcome.Published ? NotifyEvent.Publish : (NotifyEvent?)null;
            var settings = SettingsFor(mission.MissionId);
            if (notifyEvent is not { } kind || !settings.ChannelsFor(kind).Any())
            {
                continue;
            }

            var tail = mission.LogTail is { Length: > 0 } toilTail ? toilTail : mission.Gates.FirstOrDefault(g => g.BlocksMission && g.LogTail.Length > 0)?.LogTail;
            var summary = kind == NotifyEvent.Failure
                ? $"{mission.Title}: {mission.Message}"
                : $"{mission.Title}: {(mission.Diff.Files == 0 ? "published" : $"+{mission.Diff.Insertions} −{mission.Diff.Deletions} in {mission.Diff.Files} file(s)")}, ready for review.";
            yield return (new Notification(
                kind,
                repository,
                report.RunId,
                mission.MissionId,
                masker.Mask(mission.Title),
                mission.Kind,
                OutcomeName(mission.Outcome),
                masker.Mask(summary),
                tail is null ? null : masker.Mask(LastLines(tail, 15)),
                mission.ReviewItemId,
                masker.MaskOrNull(mission.ReviewLocation),
                null,
                mission.Diagnostics.Take(10).Select(d => d with { Message = masker.Mask(d.Message), Hint = masker.MaskOrNull(d.Hint) }).ToList(),
                report.Finished,
                logUrl), settings);
        }
    }

    /// <summary>A stale-review notification for each open item that has waited longer than its mission's <c>stale-after</c>.</summary>
    public IEnumerable<(Notification, NotifySettings)> FromOpenItems(IEnumerable<OpenReviewItem> items)
    {
        var now = clock.GetUtcNow();
        foreach (var item in items)
        {
            var settings = SettingsFor(item.MissionId);
            if (now - item.WaitingSince < settings.EffectiveStaleAfter || !settings.ChannelsFor(NotifyEvent.StaleReview).Any())
            {
                continue;
            }

            var days = (now - item.WaitingSince).TotalDays;
            var title = briefs.TryGetValue(item.MissionId, out var brief) ? brief.Title : item.Title;
            yield return (new Notification(
                NotifyEvent.StaleReview,
                repository,
                null,
                item.MissionId,
                masker.Mask(title),
                brief?.Kind,
                null,
                masker.Mask($"{item.Title} has waited {days:0.#} day(s) for a reviewer (revision {item.Revision})."),
                null,
                item.Id,
                masker.Mask(item.Location),
                item.WaitingSince,
                [],
                now,
                logUrl), settings);
        }
    }

    /// <summary>The outcome as the report's JSON writes it (kebab-case).</summary>
    internal static string OutcomeName(MissionOutcome outcome) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(outcome.ToString());

    private static string LastLines(string text, int count) =>
        string.Join('\n', text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(count));
}
