namespace ExecutionLoops.Monitoring;

/// <summary>What <c>loops insights</c> reports: each mission's numbers over the window, and what to improve.</summary>
/// <param name="Since">The window's start, or null for all of the history.</param>
/// <param name="Missions">Each mission with runs in the window, by id.</param>
/// <param name="Suggestions">Improvement suggestions, most specific first.</param>
public sealed record InsightsReport(DateTimeOffset? Since, IReadOnlyList<MissionInsights> Missions, IReadOnlyList<ImprovementSuggestion> Suggestions);

/// <summary>One mission's numbers over the window.</summary>
public sealed record MissionInsights
{
    /// <summary>The mission id.</summary>
    public required string Mission { get; init; }

    /// <summary>The brief's title (from its latest run).</summary>
    public string Title { get; init; } = "";

    /// <summary>The toil kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Runs of the mission.</summary>
    public int Runs { get; init; }

    /// <summary>Runs that published, or found nothing to change, with no gate failed.</summary>
    public int Succeeded { get; init; }

    /// <summary><see cref="Succeeded"/> over <see cref="Runs"/>, from 0 to 1.</summary>
    public double SuccessRate => Runs == 0 ? 0 : (double)Succeeded / Runs;

    /// <summary>Published revisions a reviewer decided on (approved, rejected or closed).</summary>
    public int Reviewed { get; init; }

    /// <summary>Revisions approved.</summary>
    public int Approved { get; init; }

    /// <summary><see cref="Approved"/> over <see cref="Reviewed"/>, or null when nothing was reviewed.</summary>
    public double? ApprovalRate => Reviewed == 0 ? null : (double)Approved / Reviewed;

    /// <summary>Rework rounds: revisions rejected with feedback, each of which a later run reworks.</summary>
    public int ReworkRounds { get; init; }

    /// <summary>The median time from publishing a revision to a reviewer's decision, or null when none was decided.</summary>
    public TimeSpan? MedianTimeToReview { get; init; }

    /// <summary>Gate failures, most frequent first.</summary>
    public IReadOnlyList<GateFailureCount> GateFailures { get; init; } = [];

    /// <summary>The agents' estimated cost, or null when no run reported one.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Prompt tokens used.</summary>
    public long InputTokens { get; init; }

    /// <summary>Completion tokens used.</summary>
    public long OutputTokens { get; init; }

    /// <summary>When it last ran.</summary>
    public DateTimeOffset LastRun { get; init; }

    /// <summary>How the last run ended (<c>published</c>, <c>gate-failed</c>, …, <c>interrupted</c>).</summary>
    public string LastOutcome { get; init; } = "";
}

/// <summary>How often one gate failed for a mission, and with which EL code most often.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Required">Whether it is required (its failures failed the mission).</param>
/// <param name="Code">Its most frequent EL code, or null when its failures carried none.</param>
/// <param name="Count">Runs in which it failed.</param>
public sealed record GateFailureCount(string Gate, bool Required, string? Code, int Count);

/// <summary>Something to change so a mission earns its keep.</summary>
/// <param name="Mission">The mission it is about (for a pair session: the mission that would do its work, or the kind).</param>
/// <param name="Rule">Which rule found it: <c>feedback-to-constraints</c>, <c>failing-gate</c> or <c>delegate-routine</c>.</param>
/// <param name="Message">What to do, in a sentence.</param>
public sealed record ImprovementSuggestion(string Mission, string Rule, string Message);
