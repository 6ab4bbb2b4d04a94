using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Notifications;

/// <summary>
/// One thing to tell people, before any channel shapes it. Every text in it has passed the secret masker
/// (<see cref="NotificationFactory"/> builds it so), because it leaves the machine.
/// </summary>
/// <param name="Event">Failure, publish or stale review.</param>
/// <param name="Repository">The repository (owner/name when known, else its folder name).</param>
/// <param name="RunId">The run, or null for a stale item found outside a run.</param>
/// <param name="MissionId">The mission.</param>
/// <param name="MissionTitle">The brief's title.</param>
/// <param name="Kind">The toil kind, when known.</param>
/// <param name="Outcome">The mission's outcome (kebab-case), or null for a stale item.</param>
/// <param name="Summary">One line: what happened.</param>
/// <param name="Details">The last lines of the failing output, or null.</param>
/// <param name="ReviewItemId">The review item, or null.</param>
/// <param name="ReviewLocation">Where a person finds the review item (a URL or a command), or null.</param>
/// <param name="WaitingSince">For a stale item: since when it waits for a reviewer.</param>
/// <param name="Diagnostics">The mission's problems (EL codes).</param>
/// <param name="At">When it happened.</param>
/// <param name="LogUrl">The CI run's page, or null.</param>
internal sealed record Notification(
    NotifyEvent Event,
    string Repository,
    string? RunId,
    string MissionId,
    string MissionTitle,
    string? Kind,
    string? Outcome,
    string Summary,
    string? Details,
    string? ReviewItemId,
    string? ReviewLocation,
    DateTimeOffset? WaitingSince,
    IReadOnlyList<Diagnostic> Diagnostics,
    DateTimeOffset At,
    string? LogUrl)
{
    /// <summary>A heading for people: "Mission format-code failed".</summary>
    public string Headline => Event switch
    {
        NotifyEvent.Failure => $"Mission {MissionId} failed",
        NotifyEvent.Publish => $"Mission {MissionId} published a review item",
        _ => $"Review item of {MissionId} waits for a reviewer",
    };

    /// <summary>True when <see cref="ReviewLocation"/> is a web address (a button can open it).</summary>
    public bool HasReviewUrl => Uri.TryCreate(ReviewLocation, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
