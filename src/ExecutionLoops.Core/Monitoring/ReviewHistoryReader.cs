using System.Text.Json;
using ExecutionLoops.Review;
using ExecutionLoops.Security;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// Reads what reviewers made of each published revision from the local review queue: an item lists the runs that
/// published it (revision n is the n-th), its feedback carries the revision it was given on, and its state and last
/// change say whether and when the latest revision was approved or closed. Items on other targets (a pull request)
/// are not in the queue: their revisions stay <see cref="ReviewOutcome.Unknown"/>.
/// </summary>
internal sealed class ReviewHistoryReader
{
    private readonly Dictionary<(string Run, string Mission), (LocalReviewRecord Item, int Revision)> _byRun = [];

    private ReviewHistoryReader(IReadOnlyList<LocalReviewRecord> items)
    {
        Items = items;
        foreach (var item in items)
        {
            for (var i = 0; i < item.Runs.Count; i++)
            {
                _byRun[(item.Runs[i], item.MissionId)] = (item, i + 1);
            }
        }
    }

    /// <summary>The local queue's items (unreadable files are skipped: they are not the history's to repair).</summary>
    public IReadOnlyList<LocalReviewRecord> Items { get; }

    /// <summary>Loads the items under <paramref name="directory"/>.</summary>
    public static ReviewHistoryReader Load(string directory)
    {
        var items = new List<LocalReviewRecord>();
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    if (JsonSerializer.Deserialize<LocalReviewRecord>(File.ReadAllText(file), LoopsJson.Indented) is { } item)
                    {
                        items.Add(item);
                    }
                }
                catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
                {
                    // loops review reports a damaged item itself.
                }
            }
        }

        return new ReviewHistoryReader(items);
    }

    /// <summary>The record with its review outcome, time of review and feedback filled in from the queue.</summary>
    public MissionRunRecord Apply(MissionRunRecord record, SecretMasker masker)
    {
        if (record.ReviewItem is null)
        {
            return record with { Review = ReviewOutcome.None, Reviewed = null, Feedback = [] };
        }

        if (!_byRun.TryGetValue((record.Run, record.Mission), out var found))
        {
            return record with { Review = ReviewOutcome.Unknown };
        }

        var (item, revision) = found;
        var feedback = item.Feedback.Where(f => f.Revision == revision && !f.Text.TrimStart().StartsWith("/loops", StringComparison.Ordinal)).ToList();
        var texts = feedback.Select(f => masker.Mask(f.Text)).ToList();
        var firstFeedback = feedback.Count > 0 ? feedback.Min(f => f.At) : (DateTimeOffset?)null;
        var latest = revision == item.Revision;
        var (outcome, reviewed) = (latest, item.State) switch
        {
            (true, ReviewState.Merged) => (ReviewOutcome.Approved, (DateTimeOffset?)item.Updated),
            (true, ReviewState.Closed) => (ReviewOutcome.Closed, item.Updated),
            (true, ReviewState.ChangesRequested) => (ReviewOutcome.Rejected, firstFeedback ?? item.Updated),
            (true, _) => (ReviewOutcome.Open, (DateTimeOffset?)null),
            (false, _) when firstFeedback is not null => (ReviewOutcome.Rejected, firstFeedback),
            _ => (ReviewOutcome.Superseded, null),
        };
        return record with { Review = outcome, Reviewed = reviewed, Feedback = texts };
    }
}
