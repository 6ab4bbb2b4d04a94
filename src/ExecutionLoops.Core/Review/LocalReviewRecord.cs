using ExecutionLoops.Gates;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Review;

/// <summary>One item of the local review queue, stored as <c>reviews/&lt;id&gt;.json</c> under the state directory.</summary>
public sealed record LocalReviewRecord
{
    /// <summary>The item id: the mission id, with <c>-2</c>, <c>-3</c> … for later items after one was merged or closed.</summary>
    public required string Id { get; init; }

    /// <summary>The mission.</summary>
    public required string MissionId { get; init; }

    /// <summary>Title.</summary>
    public required string Title { get; init; }

    /// <summary>Markdown body.</summary>
    public required string Body { get; init; }

    /// <summary>The mission branch.</summary>
    public required string Branch { get; init; }

    /// <summary>The branch approval merges into, or null when the mission started from a detached HEAD.</summary>
    public string? BaseBranch { get; init; }

    /// <summary>The commit the change is based on.</summary>
    public required string BaseCommit { get; init; }

    /// <summary>The mission commit under review.</summary>
    public required string HeadCommit { get; init; }

    /// <summary>Where it stands.</summary>
    public ReviewState State { get; init; } = ReviewState.Open;

    /// <summary>True when advisory gates failed (per the brief's draft policy).</summary>
    public bool Draft { get; init; }

    /// <summary>How many times it was published.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>Size of the change.</summary>
    public DiffStat Diff { get; init; } = DiffStat.Empty;

    /// <summary>Gate results of the latest revision.</summary>
    public IReadOnlyList<GateResult> Gates { get; init; } = [];

    /// <summary>Reviewer feedback and comments, oldest first; the list only grows, so a comment's number is its position (from 1).</summary>
    public IReadOnlyList<LocalFeedback> Feedback { get; init; } = [];

    /// <summary>The runs that published it, oldest first.</summary>
    public IReadOnlyList<string> Runs { get; init; } = [];
}

/// <summary>Feedback given on a local review item.</summary>
/// <param name="Author">Who gave it.</param>
/// <param name="Text">What they said.</param>
/// <param name="At">When.</param>
/// <param name="Revision">The revision it was given on.</param>
/// <param name="Addressed">True once a later revision was published.</param>
public sealed record LocalFeedback(string Author, string Text, DateTimeOffset At, int Revision, bool Addressed)
{
    /// <summary>Loops' answer in this comment's thread (which commit addressed it), or null.</summary>
    public string? Reply { get; init; }
}
