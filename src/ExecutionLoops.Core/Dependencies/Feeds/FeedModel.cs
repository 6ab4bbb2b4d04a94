using NuGet.Versioning;

namespace ExecutionLoops.Dependencies.Feeds;

/// <summary>A known vulnerability of a range of a package's versions.</summary>
/// <param name="Url">The advisory (e.g. a GitHub security advisory).</param>
/// <param name="Severity">0 low, 1 moderate, 2 high, 3 critical.</param>
/// <param name="Versions">The affected versions.</param>
public sealed record Advisory(string Url, int Severity, VersionRange Versions)
{
    /// <summary>The severity as a word.</summary>
    public string SeverityName => Severity switch { 0 => "low", 1 => "moderate", 2 => "high", 3 => "critical", _ => "unknown" };
}

/// <summary>What a feed says about one version of a package (registration metadata or the nuspec).</summary>
/// <param name="Listed">False when the version is unlisted.</param>
/// <param name="Published">When it was published, if known.</param>
/// <param name="Deprecation">The deprecation reasons and message, or null.</param>
/// <param name="ProjectUrl">The project's web page, if given.</param>
/// <param name="RepositoryUrl">The source repository, if given.</param>
/// <param name="ReleaseNotes">Release notes text or link, if given.</param>
public sealed record PackageDetails(bool Listed, DateTimeOffset? Published, string? Deprecation, string? ProjectUrl, string? RepositoryUrl = null, string? ReleaseNotes = null)
{
    /// <summary>Nothing known: listed, never deprecated.</summary>
    public static PackageDetails Unknown { get; } = new(true, null, null, null);
}

/// <summary>A package source: an HTTP NuGet v3 feed or a local folder.</summary>
internal interface IPackageFeed
{
    /// <summary>The source's name in nuget.config.</summary>
    string Name { get; }

    /// <summary>All versions the source has (listed or not); null when it does not have the package.</summary>
    Task<IReadOnlyList<NuGetVersion>?> VersionsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Listing, publish date, deprecation and links of one version.</summary>
    Task<PackageDetails> DetailsAsync(string id, NuGetVersion version, bool withReleaseInfo, CancellationToken cancellationToken);

    /// <summary>
    /// Known vulnerabilities by lower-case package id; null when the source publishes no vulnerability data (no
    /// <c>VulnerabilityInfo</c> resource), which is not the same as publishing none for these packages.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?> AdvisoriesAsync(CancellationToken cancellationToken);
}

/// <summary>A source could not be read: down, refused, or answered with something that is not a NuGet feed.</summary>
internal sealed class FeedException(string source, string message, bool unreachable) : Exception(message)
{
    /// <summary>The source name.</summary>
    public string SourceName { get; } = source;

    /// <summary>True when the source could not be reached (as opposed to answering garbage).</summary>
    public bool Unreachable { get; } = unreachable;
}
