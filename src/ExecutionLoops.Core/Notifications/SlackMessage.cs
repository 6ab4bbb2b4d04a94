using System.Text.Json.Nodes;

namespace ExecutionLoops.Notifications;

/// <summary>
/// A Slack incoming-webhook message: Block Kit blocks (header, summary, facts, the output tail) and a top-level
/// <c>text</c>, which Slack shows in notifications and where blocks cannot be drawn.
/// </summary>
internal static class SlackMessage
{
    public static JsonObject Build(Notification notification)
    {
        var facts = new JsonArray();
        foreach (var (name, value) in Facts(notification))
        {
            facts.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{name}*\n{Escape(value)}" });
        }

        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Limit(notification.Headline, 150) } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Limit(Escape(notification.Summary), 3000) } },
            new JsonObject { ["type"] = "section", ["fields"] = facts },
        };
        if (notification.Details is { Length: > 0 } details)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "```" + Limit(Escape(details), 2900) + "```" } });
        }

        if (notification.HasReviewUrl)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open the review item" }, ["url"] = notification.ReviewLocation }),
            });
        }

        return new JsonObject { ["text"] = $"{notification.Headline}: {notification.Summary}", ["blocks"] = blocks };
    }

    /// <summary>The facts every channel shows, in order.</summary>
    internal static IEnumerable<(string Name, string Value)> Facts(Notification notification)
    {
        yield return ("Repository", notification.Repository);
        yield return ("Mission", $"{notification.MissionId} ({notification.MissionTitle})");
        if (notification.Outcome is { } outcome)
        {
            yield return ("Outcome", outcome);
        }

        if (notification.ReviewItemId is { } item)
        {
            yield return ("Review item", notification.ReviewLocation is { } location && location != item ? $"{item}: {location}" : item);
        }

        if (notification.WaitingSince is { } since)
        {
            yield return ("Waiting since", since.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (notification.Diagnostics.Count > 0)
        {
            yield return ("Codes", string.Join(", ", notification.Diagnostics.Select(d => d.Code).Distinct()));
        }

        if (notification.RunId is { } run)
        {
            yield return ("Run", notification.LogUrl is { } url ? $"{run} ({url})" : run);
        }
    }

    // Slack's mrkdwn treats these three as control characters; everything else is literal.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
