using ExecutionLoops.Dependencies.Feeds;
using NuGet.Versioning;

namespace ExecutionLoops.Dependencies;

/// <summary>The verdict on one dependency: the version to move to (or none) and why.</summary>
/// <param name="Dependency">The declaration.</param>
/// <param name="Candidate">The version to update to, or null to leave it.</param>
/// <param name="Type">The size of the step, when there is a candidate.</param>
/// <param name="Reason">Why this candidate, or why none.</param>
/// <param name="Advisories">Known vulnerabilities of the current version.</param>
/// <param name="Details">Metadata of the candidate (links, publish date), when read.</param>
public sealed record DependencyFinding(
    Dependency Dependency,
    NuGetVersion? Candidate,
    UpdateType? Type,
    string Reason,
    IReadOnlyList<Advisory> Advisories,
    PackageDetails? Details = null)
{
    /// <summary>True when the update fixes a known vulnerability.</summary>
    public bool Security => Candidate is not null && Advisories.Count > 0;

    /// <summary>True when the policy asks for something no version satisfies (a vulnerable package without a safe version, a pin range nothing is in).</summary>
    public bool Unsatisfiable { get; init; }

    /// <summary>The version as written.</summary>
    public string Current => Dependency.Site.Text;

    /// <summary>
    /// The version restore would take from the sources for the written value (NuGet's lowest applicable version,
    /// the newest match of a floating version, the exact version of a bracketed one); null when no source version
    /// satisfies it, or the sources were not asked.
    /// </summary>
    public NuGetVersion? Resolved { get; init; }

    /// <summary>The newest patch, minor and major versions above the resolved one, where they exist.</summary>
    public UpdateLines Lines { get; init; } = UpdateLines.None;
}

/// <summary>The newest version on each update line above a resolved version (Renovate's and Dependabot's separate offers).</summary>
/// <param name="Patch">The newest version with the same major and minor.</param>
/// <param name="Minor">The newest version with the same major and another minor.</param>
/// <param name="Major">The newest version with another major.</param>
public sealed record UpdateLines(NuGetVersion? Patch, NuGetVersion? Minor, NuGetVersion? Major)
{
    /// <summary>No newer version.</summary>
    public static UpdateLines None { get; } = new(null, null, null);

    /// <summary>The lines of <paramref name="from"/> among <paramref name="newer"/> (all greater than it).</summary>
    public static UpdateLines Of(NuGetVersion from, IEnumerable<NuGetVersion> newer)
    {
        NuGetVersion? patch = null, minor = null, major = null;
        foreach (var version in newer.Where(v => v > from))
        {
            switch (UpdateSelector.TypeOf(from, version))
            {
                case UpdateType.Patch when patch is null || version > patch:
                    patch = version;
                    break;
                case UpdateType.Minor when minor is null || version > minor:
                    minor = version;
                    break;
                case UpdateType.Major when major is null || version > major:
                    major = version;
                    break;
            }
        }

        return new UpdateLines(patch, minor, major);
    }

    /// <summary>The lines that exist, as <c>patch 1.0.2, minor 1.3.0, major 2.0.0</c>; empty when none.</summary>
    public override string ToString() => string.Join(", ", new[] { ("patch", Patch), ("minor", Minor), ("major", Major) }.Where(l => l.Item2 is not null).Select(l => $"{l.Item1} {l.Item2!.ToNormalizedString()}"));
}
