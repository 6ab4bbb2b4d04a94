using System.Globalization;
using Cronos;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Planning;

/// <summary>
/// Decides which missions are due: schedules are checked against each mission's last successful run,
/// manual missions run only when named, pair briefs never run here.
/// </summary>
internal sealed class Planner(TimeProvider clock)
{
    /// <summary>Plans every brief; the due ones come first in brief order.</summary>
    /// <exception cref="LoopsException">EL1031 when a named mission does not exist.</exception>
    public IReadOnlyList<PlannedMission> Plan(IReadOnlyList<MissionBrief> briefs, IReadOnlyDictionary<string, DateTimeOffset> lastSuccesses, PlanRequest request)
    {
        var known = briefs.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = request.Missions.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            var list = string.Join(", ", known.Order(StringComparer.Ordinal));
            throw new LoopsException(
                ExitCodes.InvalidInput,
                unknown.Select(m => Diagnostic.Error(DiagnosticCodes.UnknownMission, $"No mission has the id '{m}'.", hint: known.Count == 0 ? "No briefs were found; create one with 'loops init'." : $"Known missions: {list}.")).ToList());
        }

        var now = clock.GetUtcNow();
        return briefs.Select(brief => PlanOne(brief, lastSuccesses.TryGetValue(brief.Id, out var last) ? last : null, request, now)).ToList();
    }

    private static PlannedMission PlanOne(MissionBrief brief, DateTimeOffset? lastSuccess, PlanRequest request, DateTimeOffset now)
    {
        var named = request.Missions.Contains(brief.Id, StringComparer.Ordinal);
        if (brief.Loop == MissionLoop.Pair)
        {
            return new PlannedMission(brief, false, "pair brief: start it with 'loops pair start --brief " + brief.Id + "'", lastSuccess);
        }

        if (named)
        {
            return new PlannedMission(brief, true, "named with --mission", lastSuccess);
        }

        if (request.Missions.Count > 0)
        {
            return new PlannedMission(brief, false, "not named", lastSuccess);
        }

        if (request.All)
        {
            return new PlannedMission(brief, true, "--all", lastSuccess);
        }

        if (brief.Trigger.Schedule is not { } schedule)
        {
            return new PlannedMission(brief, false, "manual: run it with --mission " + brief.Id, lastSuccess);
        }

        if (lastSuccess is null)
        {
            return new PlannedMission(brief, true, $"schedule '{schedule}': never run successfully", null);
        }

        var cron = CronExpression.Parse(schedule);
        var next = cron.GetNextOccurrence(lastSuccess.Value.UtcDateTime, TimeZoneInfo.Utc) is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : (DateTimeOffset?)null;
        if (next is { } due && due <= now)
        {
            return new PlannedMission(brief, true, $"schedule '{schedule}': due since {Format(due)} (last success {Format(lastSuccess.Value)})", lastSuccess, due);
        }

        return new PlannedMission(brief, false, next is null ? $"schedule '{schedule}': no future occurrence" : $"schedule '{schedule}': next due {Format(next.Value)}", lastSuccess, next);
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
