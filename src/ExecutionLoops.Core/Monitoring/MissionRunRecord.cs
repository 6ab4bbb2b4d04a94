using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// One mission in one run, as the run history keeps it (a line of <c>history/runs.jsonl</c> under the state
/// directory). Derived from the run journal and the review target; a later line for the same run and mission
/// supersedes an earlier one (the review outcome changes after the run).
/// </summary>
public sealed record MissionRunRecord
{
    /// <summary>The run id.</summary>
    public required string Run { get; init; }

    /// <summary>The mission id.</summary>
    public required string Mission { get; init; }

    /// <summary>The brief's title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The toil kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>When the mission's first stage started (the run's start when none did).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When it finished, or null when the run was killed before it did.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>How it ended; <see cref="MissionOutcome.Errored"/> with <see cref="Interrupted"/> when it never finished.</summary>
    public required MissionOutcome Outcome { get; init; }

    /// <summary>True when the run stopped (killed, crashed) before the mission finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The completed stages and their wall time.</summary>
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];

    /// <summary>Each gate's verdict.</summary>
    public IReadOnlyList<GateOutcome> Gates { get; init; } = [];

    /// <summary>The EL codes of what failed the mission (failed gates' findings, toil and infrastructure errors).</summary>
    public IReadOnlyList<string> FailureCodes { get; init; } = [];

    /// <summary>Attempts made (more than 1 only for agent missions that retried).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>What the agent used, for agent kinds.</summary>
    public AgentUsageReport? AgentUsage { get; init; }

    /// <summary>Files changed.</summary>
    public int Files { get; init; }

    /// <summary>Lines added.</summary>
    public int Insertions { get; init; }

    /// <summary>Lines removed.</summary>
    public int Deletions { get; init; }

    /// <summary>The review item published, or null.</summary>
    public string? ReviewItem { get; init; }

    /// <summary>When the review item was published.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>What the reviewers made of this revision.</summary>
    public ReviewOutcome Review { get; init; } = ReviewOutcome.None;

    /// <summary>When a reviewer approved, rejected or closed it.</summary>
    public DateTimeOffset? Reviewed { get; init; }

    /// <summary>Reviewers' feedback on this revision (masked), oldest first.</summary>
    public IReadOnlyList<string> Feedback { get; init; } = [];

    /// <summary>The length of the run's journal this record was derived from; a longer journal (a resumed run) derives it again.</summary>
    public long JournalLength { get; init; }

    /// <summary>Where it came from: <c>journal</c>, or <c>report</c> for a merged per-job report.</summary>
    public string Source { get; init; } = "journal";

    /// <summary>Publish to review, when both are known.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan? TimeToReview => Published is { } published && Reviewed is { } reviewed && reviewed >= published ? reviewed - published : null;

    /// <summary>
    /// True when the run did what it should: published or found nothing to change, with no gate failed (the
    /// planner's rule: a draft published over an advisory failure runs again).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Succeeded => Outcome is MissionOutcome.Published or MissionOutcome.NoChanges && !Interrupted && Gates.All(g => g.Status != GateStatus.Failed);
}

/// <summary>A gate's verdict in the history: what failed and with which codes, without the log.</summary>
/// <param name="Name">The gate.</param>
/// <param name="Status">Passed, failed or skipped.</param>
/// <param name="Required">Whether a failure fails the mission.</param>
/// <param name="Codes">The EL codes of its findings.</param>
public sealed record GateOutcome(string Name, GateStatus Status, bool Required, IReadOnlyList<string> Codes);

/// <summary>What reviewers made of a published revision.</summary>
public enum ReviewOutcome
{
    /// <summary>Nothing was published.</summary>
    None,

    /// <summary>Waiting for a reviewer.</summary>
    Open,

    /// <summary>Approved (merged).</summary>
    Approved,

    /// <summary>Rejected with feedback; a later run reworks it.</summary>
    Rejected,

    /// <summary>Closed without merging.</summary>
    Closed,

    /// <summary>A later run published a newer revision before anyone reviewed this one.</summary>
    Superseded,

    /// <summary>Published to a target whose review state the history cannot read.</summary>
    Unknown,
}
