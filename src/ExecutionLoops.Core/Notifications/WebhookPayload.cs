using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExecutionLoops.Notifications;

/// <summary>
/// The generic webhook: the event as JSON (the shape is <c>docs/notification-payload.schema.json</c>), signed so the
/// receiver knows it came from loops and is fresh. The signature is HMAC-SHA256 with the shared key over
/// <c>{timestamp}.{raw body}</c>, sent as <c>X-Loops-Signature-256: sha256=&lt;hex&gt;</c> beside
/// <c>X-Loops-Timestamp</c> (Unix seconds): a receiver recomputes it, compares in constant time, and rejects a
/// timestamp more than five minutes away from its clock, so a captured request cannot be replayed later.
/// </summary>
internal static class WebhookPayload
{
    public const int Version = 1;
    public const string SignatureHeader = "X-Loops-Signature-256";
    public const string TimestampHeader = "X-Loops-Timestamp";
    public const string EventHeader = "X-Loops-Event";
    public const string DeliveryHeader = "X-Loops-Delivery";

    public static JsonObject Build(Notification notification, string deliveryId)
    {
        var payload = new JsonObject
        {
            ["version"] = Version,
            ["event"] = NotifyEventNames.Name(notification.Event),
            ["delivery"] = deliveryId,
            ["at"] = notification.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["repository"] = notification.Repository,
            ["run"] = notification.RunId,
            ["mission"] = new JsonObject { ["id"] = notification.MissionId, ["title"] = notification.MissionTitle, ["kind"] = notification.Kind },
            ["outcome"] = notification.Outcome,
            ["summary"] = notification.Summary,
            ["details"] = notification.Details,
            ["reviewItem"] = notification.ReviewItemId is null ? null : new JsonObject
            {
                ["id"] = notification.ReviewItemId,
                ["location"] = notification.ReviewLocation,
                ["waitingSince"] = notification.WaitingSince?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            },
            ["diagnostics"] = new JsonArray([.. notification.Diagnostics.Select(d => (JsonNode)new JsonObject { ["code"] = d.Code, ["severity"] = d.IsError ? "error" : "warning", ["message"] = d.Message })]),
            ["logUrl"] = notification.LogUrl,
        };
        return payload;
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <c>{timestamp}.{body}</c> under <paramref name="key"/>.</summary>
    public static string Sign(string key, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), signed));
    }
}
