using System.Globalization;
using System.Text.RegularExpressions;

namespace ExecutionLoops.GitHub.Review;

/// <summary>The hidden HTML comments loops writes into pull requests, so it finds its own work again and skips its own words.</summary>
internal static partial class PullRequestMarkers
{
    /// <summary>Ends every comment loops writes, so it is never read back as feedback.</summary>
    public const string Comment = "<!-- loops -->";

    /// <summary>Names the mission in a pull request body.</summary>
    public static string Mission(string missionId) => $"<!-- loops:mission {missionId} -->";

    /// <summary>The mission a body names, or null.</summary>
    public static string? MissionIn(string? body) => MissionPattern().Match(body ?? "") is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Counts the pushes in a pull request body.</summary>
    public static string Revision(int revision) => string.Create(CultureInfo.InvariantCulture, $"<!-- loops:revision {revision} -->");

    /// <summary>The revision a body records; 1 when it records none.</summary>
    public static int RevisionIn(string? body) =>
        RevisionPattern().Match(body ?? "") is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"<!-- loops:revision (\d+) -->", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionPattern();

    [GeneratedRegex(@"<!-- loops:mission ([a-z0-9-]+) -->", RegexOptions.CultureInvariant)]
    private static partial Regex MissionPattern();
}
