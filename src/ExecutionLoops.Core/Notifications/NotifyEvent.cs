namespace ExecutionLoops.Notifications;

/// <summary>What a notification is about.</summary>
internal enum NotifyEvent
{
    /// <summary>A mission failed (toil, required gate, or infrastructure).</summary>
    Failure,

    /// <summary>A mission published a review item (created or updated).</summary>
    Publish,

    /// <summary>A review item has waited longer than <c>stale-after</c> for a reviewer.</summary>
    StaleReview,
}

/// <summary>The YAML and payload names of <see cref="NotifyEvent"/>.</summary>
internal static class NotifyEventNames
{
    public static readonly string[] All = ["failure", "publish", "stale-review"];

    public static string Name(NotifyEvent notifyEvent) => notifyEvent switch
    {
        NotifyEvent.Failure => "failure",
        NotifyEvent.Publish => "publish",
        _ => "stale-review",
    };

    public static NotifyEvent? Parse(string text) => text switch
    {
        "failure" => NotifyEvent.Failure,
        "publish" => NotifyEvent.Publish,
        "stale-review" => NotifyEvent.StaleReview,
        _ => null,
    };
}
