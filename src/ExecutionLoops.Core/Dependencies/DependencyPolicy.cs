using NuGet.Versioning;

namespace ExecutionLoops.Dependencies;

/// <summary>How big a version step is.</summary>
public enum UpdateType
{
    /// <summary>Same major and minor (patch, revision or pre-release label changes).</summary>
    Patch,

    /// <summary>Same major.</summary>
    Minor,

    /// <summary>A new major version.</summary>
    Major,
}

/// <summary>When pre-release versions are candidates.</summary>
public enum PrereleasePolicy
{
    /// <summary>Only when already on a pre-release of the same version (as Renovate and Dependabot do).</summary>
    IfCurrent,

    /// <summary>Always.</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>A package pattern with an optional version range, from <c>pin:</c> and <c>ignore:</c>.</summary>
/// <param name="Pattern">A package id, with <c>*</c> wildcards.</param>
/// <param name="Versions">The range it applies to, or null for all versions.</param>
public sealed record PackageRule(string Pattern, VersionRange? Versions)
{
    /// <summary>True when the pattern matches the id (case-insensitive).</summary>
    public bool Matches(string id) => PackagePattern.Matches(Pattern, id);
}

/// <summary>A group of packages updated together in one review item.</summary>
/// <param name="Name">The group's name (lower-case, dashes); the mission id gets it as a suffix.</param>
/// <param name="Include">Package patterns of the group.</param>
public sealed record DependencyGroup(string Name, IReadOnlyList<string> Include)
{
    /// <summary>True when the package belongs to the group.</summary>
    public bool Contains(string id) => Include.Any(p => PackagePattern.Matches(p, id));
}

/// <summary>The <c>dependencies:</c> policy of a brief.</summary>
public sealed record DependencyPolicy : Briefs.IBriefSettings<DependencyPolicy>
{
    /// <summary>Update everything allowed, stable only, vulnerable first.</summary>
    public static DependencyPolicy Default { get; } = new();

    /// <summary>The update types allowed (patch, minor, major).</summary>
    public IReadOnlySet<UpdateType> UpdateTypes { get; init; } = new HashSet<UpdateType> { UpdateType.Patch, UpdateType.Minor, UpdateType.Major };

    /// <summary>When pre-releases are candidates.</summary>
    public PrereleasePolicy Prerelease { get; init; } = PrereleasePolicy.IfCurrent;

    /// <summary>Package patterns to update (everything when empty).</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Package patterns never to update (except for vulnerabilities).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Groups, each its own review item.</summary>
    public IReadOnlyList<DependencyGroup> Groups { get; init; } = [];

    /// <summary>The group this mission handles; null handles the packages in no group.</summary>
    public string? Group { get; init; }

    /// <summary>A version must be at least this old (cooldown); null for no minimum.</summary>
    public TimeSpan? MinReleaseAge { get; init; }

    /// <summary>Skip deprecated versions.</summary>
    public bool SkipDeprecated { get; init; } = true;

    /// <summary>Packages held: at their current version, or within a range.</summary>
    public IReadOnlyList<PackageRule> Pin { get; init; } = [];

    /// <summary>Packages or versions never proposed, even for vulnerabilities.</summary>
    public IReadOnlyList<PackageRule> Ignore { get; init; } = [];

    /// <summary>Move vulnerable versions to the lowest safe version even when other updates are not allowed.</summary>
    public bool VulnerableFirst { get; init; } = true;

    /// <summary>
    /// Sites under a condition (one pin per target framework) move only within their own major version, so the
    /// net8.0 pin stays on 8.x while the net10.0 one takes 10.x; security fixes still take the lowest safe version.
    /// </summary>
    public bool ConditionedSitesKeepMajor { get; init; }

    /// <summary>True when this mission's slice (its group, or the ungrouped rest) contains the package.</summary>
    public bool InSlice(string id) => Group is { } name
        ? Groups.FirstOrDefault(g => g.Name == name)?.Contains(id) ?? false
        : !Groups.Any(g => g.Contains(id));
}

/// <summary>Package-id wildcards (<c>Microsoft.Extensions.*</c>), case-insensitive as NuGet ids are.</summary>
internal static class PackagePattern
{
    /// <summary>True when the id matches the pattern.</summary>
    public static bool Matches(string pattern, string id)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, id, StringComparison.OrdinalIgnoreCase);
        }

        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!id.StartsWith(part, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                position = part.Length;
                continue;
            }

            if (i == parts.Length - 1)
            {
                return id.Length - position >= part.Length && id.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            }

            var found = id.IndexOf(part, position, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            position = found + part.Length;
        }

        return true;
    }
}
