namespace ExecutionLoops.Pair;

/// <summary>
/// A live pair session: what the developer and the AI assistant set out to do, and what has happened
/// since. Stored as <c>.loops/pair/&lt;id&gt;/session.json</c>, rewritten atomically after every step.
/// </summary>
public sealed record PairSession
{
    /// <summary>The session id (a slug of the goal; names the checkpoint refs).</summary>
    public required string Id { get; init; }

    /// <summary>The goal.</summary>
    public required string Goal { get; init; }

    /// <summary>Success criteria as written.</summary>
    public IReadOnlyList<string> Criteria { get; init; } = [];

    /// <summary>The time box, if any.</summary>
    public TimeSpan? Timebox { get; init; }

    /// <summary>The pair brief it came from, if any.</summary>
    public string? BriefId { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When it ended, or null while active.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The snapshot of the working tree at the start.</summary>
    public required string StartSnapshot { get; init; }

    /// <summary>Checkpoints, in order (numbered from 1).</summary>
    public IReadOnlyList<PairCheckpoint> Checkpoints { get; init; } = [];

    /// <summary>Decisions and notes, in order.</summary>
    public IReadOnlyList<PairNote> Notes { get; init; } = [];

    /// <summary>The latest build/test feedback.</summary>
    public PairFeedback? LastFeedback { get; init; }

    /// <summary>Warnings at the start, for "no new warnings".</summary>
    public int? BaselineWarnings { get; init; }

    /// <summary>The git ref of checkpoint <paramref name="number"/>.</summary>
    public string RefFor(int number) => $"refs/loops/pair/{Id}/{number}";
}

/// <summary>One checkpoint: a snapshot of the working tree as a git ref.</summary>
/// <param name="Number">1-based number.</param>
/// <param name="At">When.</param>
/// <param name="Commit">The snapshot commit.</param>
/// <param name="Label">Why it was taken (check, manual, before rewind, …).</param>
/// <param name="Green">True when the build (and tests, if run) passed at that point.</param>
public sealed record PairCheckpoint(int Number, DateTimeOffset At, string Commit, string Label, bool? Green)
{
    /// <summary>The snapshot's tree; null for checkpoints recorded before trees were kept (those are never reused).</summary>
    public string? Tree { get; init; }

    /// <summary>HEAD when it was taken (the snapshot's parent); null when HEAD was unborn.</summary>
    public string? Head { get; init; }

    /// <summary>
    /// True when a call found the working tree and HEAD as this checkpoint recorded them and reported this checkpoint
    /// again instead of recording an identical one. Never stored (the session holds each checkpoint once); written in the
    /// JSON of the call that reused it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Reused { get; init; }
}

/// <summary>A timestamped decision or note.</summary>
public sealed record PairNote(DateTimeOffset At, string Text);
