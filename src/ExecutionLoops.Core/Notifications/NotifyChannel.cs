namespace ExecutionLoops.Notifications;

/// <summary>The kinds of notification channel.</summary>
internal enum NotifyChannelKind
{
    /// <summary>A Slack incoming webhook (Block Kit message with a <c>text</c> fallback).</summary>
    Slack,

    /// <summary>A Microsoft Teams workflow webhook (a message with an Adaptive Card).</summary>
    Teams,

    /// <summary>Any HTTPS endpoint: the event as JSON, signed with HMAC-SHA256.</summary>
    Webhook,
}

/// <summary>One channel of the <c>notify:</c> settings. The URL and key are never here: only the names of the variables that hold them.</summary>
/// <param name="Kind">Slack, Teams or a signed webhook.</param>
/// <param name="UrlVariable">The environment variable holding the webhook URL.</param>
/// <param name="KeyVariable">The environment variable holding the HMAC key (webhook only).</param>
/// <param name="On">The events this channel takes, or null for the settings' own list.</param>
internal sealed record NotifyChannel(NotifyChannelKind Kind, string UrlVariable, string? KeyVariable, IReadOnlyList<NotifyEvent>? On)
{
    /// <summary>The channel's key in YAML.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();
}
