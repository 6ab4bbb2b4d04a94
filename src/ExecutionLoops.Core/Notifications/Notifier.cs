using System.Text.Json;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Security;

namespace ExecutionLoops.Notifications;

/// <summary>
/// Sends notifications to their channels, all at once, each bounded by its settings' time-out. Whatever goes wrong
/// (a variable not set, a receiver that refuses, fails or hangs) becomes a warning: a notification never fails a run
/// or changes its exit code. The URLs and keys are read from the environment here and registered with the masker, so
/// they never appear in a log, report or payload.
/// </summary>
internal sealed class Notifier(Func<string, string?> environment, SecretMasker masker, TimeProvider clock, HttpMessageHandler? handler = null, TimeSpan? retryDelay = null)
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The notifications of this process's environment and masker.</summary>
    public static Notifier ForProcess(TimeProvider clock) => new(Environment.GetEnvironmentVariable, SecretMasker.Process, clock);

    /// <summary>Registers the values of every variable <paramref name="settings"/> name as secrets.</summary>
    public void RegisterSecrets(NotifySettings settings)
    {
        foreach (var channel in settings.EffectiveChannels)
        {
            foreach (var name in new[] { channel.UrlVariable, channel.KeyVariable }.OfType<string>())
            {
                if (environment(name) is { Length: > 0 } value)
                {
                    masker.Add(value);
                }
            }
        }
    }

    /// <summary>Sends each notification to the channels its settings give it; returns the warnings and the notifications delivered somewhere.</summary>
    public async Task<NotifyResult> SendAsync(IReadOnlyList<(Notification Notification, NotifySettings Settings)> notifications, CancellationToken cancellationToken)
    {
        var warnings = new List<Diagnostic>();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var deliveries = new List<(Notification Notification, NotifyChannel Channel, Task<DeliveryOutcome> Outcome)>();
        using var sender = new WebhookSender(handler, retryDelay: retryDelay);
        foreach (var (notification, settings) in notifications)
        {
            RegisterSecrets(settings);
            foreach (var channel in settings.ChannelsFor(notification.Event))
            {
                var url = environment(channel.UrlVariable);
                var key = channel.KeyVariable is { } keyVariable ? environment(keyVariable) : null;
                if (string.IsNullOrWhiteSpace(url) || (channel.Kind == NotifyChannelKind.Webhook && string.IsNullOrEmpty(key)))
                {
                    var variable = string.IsNullOrWhiteSpace(url) ? channel.UrlVariable : channel.KeyVariable!;
                    if (missing.Add(variable))
                    {
                        warnings.Add(Diagnostic.Warning(DiagnosticCodes.NotificationVariableMissing, $"The {channel.Name} notification was not sent: the environment variable {variable} is not set.", hint: $"Pass {variable} from a CI secret to the step that runs loops, or remove the {channel.Name} channel from notify."));
                    }

                    continue;
                }

                if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                {
                    warnings.Add(Diagnostic.Warning(DiagnosticCodes.NotificationFailed, $"The {channel.Name} notification was not sent: {channel.UrlVariable} does not hold an http(s) URL.", hint: $"Set {channel.UrlVariable} to the webhook URL the channel gave you."));
                    continue;
                }

                deliveries.Add((notification, channel, DeliverAsync(sender, uri, channel, key, notification, settings.EffectiveTimeout, cancellationToken)));
            }
        }

        await Task.WhenAll(deliveries.Select(d => d.Outcome));
        var delivered = new HashSet<Notification>(ReferenceEqualityComparer.Instance);
        foreach (var (notification, channel, task) in deliveries)
        {
            var outcome = task.Result;
            if (outcome.Delivered)
            {
                delivered.Add(notification);
                continue;
            }

            var what = $"The {channel.Name} notification '{notification.Headline}'";
            warnings.Add(outcome.TimedOut
                ? Diagnostic.Warning(DiagnosticCodes.NotificationTimedOut, $"{what} gave up: {outcome.Detail} ({outcome.Attempts} attempt(s)).", hint: "The run is unaffected. Check the receiver, or raise notify.timeout.")
                : Diagnostic.Warning(DiagnosticCodes.NotificationFailed, $"{what} was not delivered after {outcome.Attempts} attempt(s): {outcome.Detail}.", hint: $"The run is unaffected. Check that {channel.UrlVariable} holds a live webhook URL."));
        }

        return new NotifyResult(warnings.Select(w => w with { Message = masker.Mask(w.Message) }).ToList(), delivered);
    }

    private async Task<DeliveryOutcome> DeliverAsync(WebhookSender sender, Uri url, NotifyChannel channel, string? key, Notification notification, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var delivery = Guid.NewGuid().ToString("D");
        JsonObject message = channel.Kind switch
        {
            NotifyChannelKind.Slack => SlackMessage.Build(notification),
            NotifyChannelKind.Teams => TeamsMessage.Build(notification),
            _ => WebhookPayload.Build(notification, delivery),
        };

        // Every text of the notification was masked when it was made (NotificationFactory); masking the serialized
        // body instead could cut through JSON syntax where a credential pattern meets a quote.
        var body = message.ToJsonString(Compact);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WebhookPayload.EventHeader] = NotifyEventNames.Name(notification.Event),
            [WebhookPayload.DeliveryHeader] = delivery,
        };
        if (channel.Kind == NotifyChannelKind.Webhook)
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            headers[WebhookPayload.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers[WebhookPayload.SignatureHeader] = WebhookPayload.Sign(key!, timestamp, body);
        }

        return await sender.SendAsync(url, body, headers, timeout, cancellationToken);
    }
}

/// <summary>What a round of notifications left: warnings for the run's output, and which notifications reached a channel.</summary>
/// <param name="Warnings">EL4030–EL4032 warnings.</param>
/// <param name="Delivered">The notifications at least one channel took.</param>
internal sealed record NotifyResult(IReadOnlyList<Diagnostic> Warnings, IReadOnlySet<Notification> Delivered);
