namespace ExecutionLoops.Monitoring;

/// <summary>
/// Whether two pieces of reviewer feedback say the same thing: the overlap of their meaningful words (Jaccard index of
/// lower-cased words of three letters or more, common words left out). Reviewers rephrase; they keep the nouns.
/// </summary>
internal static class FeedbackSimilarity
{
    /// <summary>The overlap from which two texts count as similar.</summary>
    public const double Threshold = 0.5;

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "this", "that", "with", "please", "again", "not", "are", "was", "but", "you", "your", "its",
        "should", "must", "can", "could", "would", "have", "has", "from", "into", "all", "any", "more", "less", "than", "too",
    };

    /// <summary>The meaningful words of a text.</summary>
    public static HashSet<string> Words(string text) =>
        text.ToLowerInvariant()
            .Split(text.ToLowerInvariant().Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 3 && !Common.Contains(w))
            .Select(Stem)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>True when the word sets overlap by at least <see cref="Threshold"/>.</summary>
    public static bool Similar(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return false;
        }

        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared) >= Threshold;
    }

    /// <summary>The text on one line, cut to a length a suggestion can quote.</summary>
    public static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 120 ? line : line[..117] + "...";
    }

    // Plural and verb endings, so "comments"/"comment" and "added"/"add" meet.
    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 3 && word.EndsWith("ed", StringComparison.Ordinal) ? word[..^2]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word;
}
