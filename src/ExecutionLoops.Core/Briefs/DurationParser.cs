using System.Globalization;
using System.Text.RegularExpressions;

namespace ExecutionLoops.Briefs;

/// <summary>Parses the durations briefs use: <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>2d</c>, <c>500ms</c>, or <c>hh:mm:ss</c>.</summary>
public static partial class DurationParser
{
    /// <summary>The examples shown in error hints.</summary>
    public const string Examples = "Use a duration like 90s, 15m, 1h30m or 00:15:00.";

    /// <summary>Parses a positive duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss"], CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['d', 'h', 'm', 's']);
            var value = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "d" => TimeSpan.FromDays(value),
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>Formats a duration the way briefs write it (<c>1h30m</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.TotalSeconds < 1)
        {
            return $"{duration.TotalMilliseconds:0}ms";
        }

        var text = "";
        if (duration.Days > 0) text += $"{duration.Days}d";
        if (duration.Hours > 0) text += $"{duration.Hours}h";
        if (duration.Minutes > 0) text += $"{duration.Minutes}m";
        if (duration.Seconds > 0) text += $"{duration.Seconds}s";
        return text;
    }

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ms|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
