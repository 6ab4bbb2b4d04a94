using System.Text.Json;
using ExecutionLoops.Gates;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// Turns the run history into each mission's numbers and the suggestions that follow from them: feedback that keeps
/// coming back belongs in the brief, a required gate that fails most runs needs attention, and routine work done by
/// hand in a pair session belongs to a mission.
/// </summary>
internal static class InsightsCalculator
{
    /// <summary>Rejections with similar feedback before the feedback is worth writing into the brief.</summary>
    public const int RepeatedFeedback = 3;

    /// <summary>The numbers and suggestions over the runs from <paramref name="since"/>, for one mission or all.</summary>
    /// <param name="history">Every mission run.</param>
    /// <param name="pairSessions">The pair sessions.</param>
    /// <param name="delegatedMissions">The delegated missions of the catalog and their kinds, to name the one that would do a pair session's routine work.</param>
    /// <param name="since">The window's start, or null for everything.</param>
    /// <param name="mission">One mission, or null for all.</param>
    public static InsightsReport Calculate(IReadOnlyList<MissionRunRecord> history, IReadOnlyList<PairSessionSummary> pairSessions, IReadOnlyDictionary<string, string> delegatedMissions, DateTimeOffset? since, string? mission)
    {
        var runs = history.Where(r => (since is null || r.Started >= since) && (mission is null || r.Mission == mission)).ToList();
        var missions = runs.GroupBy(r => r.Mission, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Summarise(g.Key, g.ToList())).ToList();
        var suggestions = new List<ImprovementSuggestion>();
        foreach (var group in runs.GroupBy(r => r.Mission, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            suggestions.AddRange(RepeatedFeedbackSuggestion(group.Key, group.ToList()));
            suggestions.AddRange(FailingGateSuggestions(group.Key, group.ToList()));
        }

        foreach (var session in pairSessions.Where(s => s.Routine is not null && s.Ended is not null && (since is null || s.Started >= since)))
        {
            var suggestion = RoutinePairSuggestion(session, delegatedMissions);
            if (mission is null || suggestion.Mission == mission)
            {
                suggestions.Add(suggestion);
            }
        }

        return new InsightsReport(since, missions, suggestions);
    }

    private static MissionInsights Summarise(string mission, IReadOnlyList<MissionRunRecord> runs)
    {
        var last = runs.MaxBy(r => r.Started)!;
        var decided = runs.Where(r => r.Review is ReviewOutcome.Approved or ReviewOutcome.Rejected or ReviewOutcome.Closed).ToList();
        var costs = runs.Select(r => r.AgentUsage?.Cost).OfType<decimal>().ToList();
        return new MissionInsights
        {
            Mission = mission,
            Title = last.Title,
            Kind = last.Kind,
            Runs = runs.Count,
            Succeeded = runs.Count(r => r.Succeeded),
            Reviewed = decided.Count,
            Approved = decided.Count(r => r.Review == ReviewOutcome.Approved),
            ReworkRounds = runs.Count(r => r.Review == ReviewOutcome.Rejected),
            MedianTimeToReview = Median(decided.Select(r => r.TimeToReview).OfType<TimeSpan>().ToList()),
            GateFailures = GateFailures(runs),
            Cost = costs.Count == 0 ? null : costs.Sum(),
            InputTokens = runs.Sum(r => r.AgentUsage?.InputTokens ?? 0),
            OutputTokens = runs.Sum(r => r.AgentUsage?.OutputTokens ?? 0),
            LastRun = last.Started,
            LastOutcome = OutcomeName(last),
        };
    }

    /// <summary>The outcome as the reports spell it, or <c>interrupted</c>.</summary>
    public static string OutcomeName(MissionRunRecord run) =>
        run.Interrupted ? "interrupted" : JsonNamingPolicy.KebabCaseLower.ConvertName(run.Outcome.ToString());

    /// <summary>Each gate's failures over the runs, most frequent first.</summary>
    public static IReadOnlyList<GateFailureCount> GateFailures(IEnumerable<MissionRunRecord> runs) =>
        runs.SelectMany(r => r.Gates.Where(g => g.Status == GateStatus.Failed).DistinctBy(g => g.Name).Select(g => (Run: r, Gate: g)))
            .GroupBy(f => f.Gate.Name, StringComparer.Ordinal)
            .Select(g => new GateFailureCount(
                g.Key,
                g.Any(f => f.Gate.Required),
                g.SelectMany(f => f.Gate.Codes.Count > 0 ? f.Gate.Codes.Take(1) : f.Gate.Required ? f.Run.FailureCodes.Take(1) : [])
                    .GroupBy(c => c, StringComparer.Ordinal).OrderByDescending(c => c.Count()).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).FirstOrDefault(),
                g.Count()))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Gate, StringComparer.Ordinal)
            .ToList();

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static IEnumerable<ImprovementSuggestion> RepeatedFeedbackSuggestion(string mission, IReadOnlyList<MissionRunRecord> runs)
    {
        var rejections = runs.Where(r => r.Review == ReviewOutcome.Rejected && r.Feedback.Count > 0).OrderBy(r => r.Started).ToList();
        if (rejections.Count < RepeatedFeedback)
        {
            yield break;
        }

        var texts = rejections.Select(r => string.Join(" ", r.Feedback)).ToList();
        var words = texts.Select(FeedbackSimilarity.Words).ToList();
        var best = Enumerable.Range(0, texts.Count)
            .Select(i => Enumerable.Range(0, texts.Count).Where(j => FeedbackSimilarity.Similar(words[i], words[j])).ToList())
            .MaxBy(cluster => cluster.Count)!;
        if (best.Count >= RepeatedFeedback)
        {
            var quote = FeedbackSimilarity.Shorten(texts[best[^1]]);
            yield return new ImprovementSuggestion(
                mission,
                "feedback-to-constraints",
                $"Mission '{mission}' was rejected {best.Count} times with similar feedback (\"{quote}\"): add it to the constraints of its brief so the next run meets it the first time.");
        }
    }

    private static IEnumerable<ImprovementSuggestion> FailingGateSuggestions(string mission, IReadOnlyList<MissionRunRecord> runs)
    {
        foreach (var failure in GateFailures(runs).Where(f => f.Required && f.Count >= 2 && f.Count * 2 > runs.Count))
        {
            var code = failure.Code is null ? "" : $", usually with {failure.Code}";
            yield return new ImprovementSuggestion(
                mission,
                "failing-gate",
                $"Mission '{mission}': its required gate '{failure.Gate}' failed in {failure.Count} of {runs.Count} runs{code}. Fix what the gate reports (see docs/diagnostics.md{(failure.Code is null ? "" : $", {failure.Code}")}), or narrow the mission's scope.");
        }
    }

    private static ImprovementSuggestion RoutinePairSuggestion(PairSessionSummary session, IReadOnlyDictionary<string, string> delegatedMissions)
    {
        var what = $"Pair session '{session.Id}' was spent on routine {session.Routine} work ({session.Files} file{(session.Files == 1 ? "" : "s")})";
        var mission = delegatedMissions.Where(m => m.Value == session.Routine).Select(m => m.Key).Order(StringComparer.Ordinal).FirstOrDefault();
        return mission is not null
            ? new ImprovementSuggestion(mission, "delegate-routine", $"{what}: delegate it to mission '{mission}' (loops delegate --mission {mission}).")
            : new ImprovementSuggestion(session.Routine!, "delegate-routine", $"{what}: add a mission of kind '{session.Routine}' and delegate it instead.");
    }
}
