using System.Globalization;
using System.Text.RegularExpressions;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// The hidden HTML comments loops writes into Azure Repos pull requests (Azure's Markdown hides them as GitHub's does),
/// so it finds its own pull request again and never reads its own comments back as feedback.
/// </summary>
internal static partial class AzureReposMarkers
{
    /// <summary>Ends every comment loops writes.</summary>
    public const string Comment = "<!-- loops -->";

    /// <summary>Names the mission in a pull request description.</summary>
    public static string Mission(string missionId) => $"<!-- loops:mission {missionId} -->";

    /// <summary>The mission a description names, or null.</summary>
    public static string? MissionIn(string? description) => MissionPattern().Match(description ?? "") is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Counts the pushes in a pull request description.</summary>
    public static string Revision(int revision) => string.Create(CultureInfo.InvariantCulture, $"<!-- loops:revision {revision} -->");

    /// <summary>The revision a description records; 1 when it records none.</summary>
    public static int RevisionIn(string? description) =>
        RevisionPattern().Match(description ?? "") is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"<!-- loops:revision (\d+) -->", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionPattern();

    [GeneratedRegex(@"<!-- loops:mission ([a-z0-9-]+) -->", RegexOptions.CultureInvariant)]
    private static partial Regex MissionPattern();
}
