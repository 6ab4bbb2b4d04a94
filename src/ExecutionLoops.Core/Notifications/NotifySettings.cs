using ExecutionLoops.Briefs;

namespace ExecutionLoops.Notifications;

/// <summary>
/// The <c>notify:</c> settings of the config or of a brief. Every field is optional so that a brief overrides only
/// what it writes (<see cref="Over"/>); the <c>Effective…</c> members give the values a run uses.
/// </summary>
/// <param name="On">The events notified, or null for the default (failures only).</param>
/// <param name="StaleAfter">How long a review item may wait before it is reported as stale, or null for 3 days.</param>
/// <param name="Timeout">The most one notification may take, retries included, or null for 20 seconds.</param>
/// <param name="Channels">The channels, or null when not written here.</param>
internal sealed record NotifySettings(IReadOnlyList<NotifyEvent>? On, TimeSpan? StaleAfter, TimeSpan? Timeout, IReadOnlyList<NotifyChannel>? Channels) : IBriefSettings<NotifySettings>
{
    /// <summary>Nothing written.</summary>
    public static NotifySettings Default { get; } = new(null, null, null, null);

    /// <summary>The events when none are listed.</summary>
    public static IReadOnlyList<NotifyEvent> DefaultEvents { get; } = [NotifyEvent.Failure];

    /// <summary>The age of a stale review item when none is set.</summary>
    public static TimeSpan DefaultStaleAfter { get; } = TimeSpan.FromDays(3);

    /// <summary>The time-out of one notification when none is set.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(20);

    /// <summary>The events notified.</summary>
    public IReadOnlyList<NotifyEvent> EffectiveOn => On ?? DefaultEvents;

    /// <summary>How long a review item may wait.</summary>
    public TimeSpan EffectiveStaleAfter => StaleAfter ?? DefaultStaleAfter;

    /// <summary>The time-out of one notification, retries included.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? DefaultTimeout;

    /// <summary>The channels.</summary>
    public IReadOnlyList<NotifyChannel> EffectiveChannels => Channels ?? [];

    /// <summary>The channels that take <paramref name="notifyEvent"/>.</summary>
    public IEnumerable<NotifyChannel> ChannelsFor(NotifyEvent notifyEvent) =>
        EffectiveChannels.Where(c => (c.On ?? EffectiveOn).Contains(notifyEvent));

    /// <summary>These settings (a brief's) written over <paramref name="baseline"/> (the config's): what is set here wins.</summary>
    public NotifySettings Over(NotifySettings baseline) =>
        new(On ?? baseline.On, StaleAfter ?? baseline.StaleAfter, Timeout ?? baseline.Timeout, Channels ?? baseline.Channels);
}
