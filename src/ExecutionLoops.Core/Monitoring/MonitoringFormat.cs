using System.Globalization;

namespace ExecutionLoops.Monitoring;

/// <summary>How the monitoring pages write numbers, times and durations (invariant culture, UTC).</summary>
internal static class MonitoringFormat
{
    /// <summary>A rate as a whole percentage, or a dash.</summary>
    public static string Percent(double? rate) => rate is { } r ? Math.Round(r * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>A duration in the largest unit that keeps it readable, or a dash.</summary>
    public static string Duration(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalSeconds: < 90 } s => $"{Math.Round(s.TotalSeconds, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)} s",
        { TotalMinutes: < 90 } s => $"{Math.Round(s.TotalMinutes, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)} min",
        { TotalHours: < 48 } s => $"{s.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h",
        { } s => $"{s.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} d",
    };

    /// <summary>A moment in UTC to the minute.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "–";

    /// <summary>A day.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A cost with the configured prices' currency left unnamed, or a dash.</summary>
    public static string Cost(decimal? cost) => cost is { } c ? c.ToString("0.00##", CultureInfo.InvariantCulture) : "–";

    /// <summary>A number for SVG coordinates.</summary>
    public static string Svg(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
