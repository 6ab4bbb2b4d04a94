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
}
