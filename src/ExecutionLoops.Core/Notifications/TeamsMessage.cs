using System.Text.Json.Nodes;

namespace ExecutionLoops.Notifications;

/// <summary>
/// A Microsoft Teams workflow-webhook message: one attachment holding an Adaptive Card (version 1.4, which Teams
/// renders everywhere), with a title, the summary, a fact set, the output tail and a button to the review item.
/// </summary>
internal static class TeamsMessage
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Build(Notification notification)
    {
        var facts = new JsonArray();
        foreach (var (name, value) in SlackMessage.Facts(notification))
        {
            facts.Add(new JsonObject { ["title"] = name, ["value"] = value });
        }

        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Headline, ["size"] = "Medium", ["weight"] = "Bolder", ["wrap"] = true, ["style"] = "heading", ["color"] = notification.Event == NotifyEvent.Failure ? "Attention" : "Default" },
            new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Summary, ["wrap"] = true },
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        if (notification.Details is { Length: > 0 } details)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = details, ["wrap"] = true, ["fontType"] = "Monospace", ["isSubtle"] = true });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (notification.HasReviewUrl)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the review item", ["url"] = notification.ReviewLocation });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = CardContentType, ["contentUrl"] = null, ["content"] = card }),
        };
    }
}
