using ExecutionLoops.Dependencies.Feeds;
using NuGet.Versioning;

namespace ExecutionLoops.Dependencies;

/// <summary>
/// Picks the version one dependency should move to under a policy, or says why it stays. Registration
/// metadata (listing, deprecation, publish date) is asked for only for versions that are candidates, newest
/// first, so most packages cost no metadata request at all.
/// </summary>
internal sealed class UpdateSelector(DependencyPolicy policy, TimeProvider clock)
{
    private const int MaxCandidatesChecked = 8;

    /// <summary>Reads the details of a version (from the feed that has it).</summary>
    public delegate Task<PackageDetails> DetailsReader(NuGetVersion version, CancellationToken cancellationToken);

    /// <summary>Decides for one dependency.</summary>
    /// <param name="dependency">The declaration.</param>
    /// <param name="available">Every version the sources have, or null when none has the package.</param>
    /// <param name="advisories">Known vulnerabilities of the package.</param>
    /// <param name="details">Reads a version's metadata.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<DependencyFinding> SelectAsync(Dependency dependency, IReadOnlyList<NuGetVersion>? available, IReadOnlyList<Advisory> advisories, DetailsReader details, CancellationToken cancellationToken)
    {
        DependencyFinding Stay(string reason, IReadOnlyList<Advisory>? found = null) => new(dependency, null, null, reason, found ?? []);

        if (dependency.Kind == DependencyKind.DotnetSdk)
        {
            return Stay("the .NET SDK is not a NuGet package; move it with the SDK's release channel");
        }

        if (!NuGetVersion.TryParse(dependency.Site.Text, out var current))
        {
            return Stay(VersionRange.TryParse(dependency.Site.Text, out var range) && range.IsFloating
                ? $"floating version '{dependency.Site.Text}' takes the newest on every restore{(dependency.LockedVersion is { } locked ? $" (locked at {locked})" : "")}"
                : $"'{dependency.Site.Text}' is a version range, not a version; left as written");
        }

        if (available is null)
        {
            return Stay("no package source has this package");
        }

        var id = dependency.PackageId;
        var vulnerabilities = advisories.Where(a => a.Versions.Satisfies(current)).ToList();
        if (policy.Ignore.FirstOrDefault(r => r.Matches(id) && r.Versions is null) is not null)
        {
            return Stay(vulnerabilities.Count > 0 ? $"ignored by policy, although {Describe(vulnerabilities)}" : "ignored by policy", vulnerabilities);
        }

        var newer = available.Where(v => v > current && !Ignored(id, v)).ToList();
        if (vulnerabilities.Count > 0 && policy.VulnerableFirst)
        {
            var safe = newer.Where(v => PrereleaseAllowed(current, v) && !advisories.Any(a => a.Versions.Satisfies(v))).Order();
            var (fix, notes) = await FirstAcceptableAsync(safe, details, cooldown: false, cancellationToken);
            return fix is null
                ? Stay($"{Describe(vulnerabilities)}; no non-vulnerable newer version is available{Notes(notes)}", vulnerabilities) with { Unsatisfiable = true }
                : new DependencyFinding(dependency, fix.Value.Version, TypeOf(current, fix.Value.Version), $"security: {Describe(vulnerabilities)}; {fix.Value.Version} is the lowest safe version", vulnerabilities, fix.Value.Details);
        }

        if ((policy.Include.Count > 0 && !policy.Include.Any(p => PackagePattern.Matches(p, id))) || policy.Exclude.Any(p => PackagePattern.Matches(p, id)))
        {
            return Stay("excluded by the policy's include/exclude patterns", vulnerabilities);
        }

        var pin = policy.Pin.FirstOrDefault(r => r.Matches(id));
        if (pin is { Versions: null })
        {
            return Stay($"pinned at {current} by policy", vulnerabilities);
        }

        var eligible = newer.Where(v => PrereleaseAllowed(current, v)).ToList();
        if (eligible.Count == 0)
        {
            return Stay(newer.Count == 0 ? "up to date" : "up to date (only pre-releases are newer)", vulnerabilities);
        }

        if (pin?.Versions is { } pinned && !pinned.Satisfies(current) && !eligible.Any(pinned.Satisfies))
        {
            return Stay($"no version satisfies the pin {pinned}", vulnerabilities) with { Unsatisfiable = true };
        }

        var newest = eligible.Max()!;
        var allowed = eligible.Where(v => policy.UpdateTypes.Contains(TypeOf(current, v)) && (pin?.Versions?.Satisfies(v) ?? true)).OrderDescending().ToList();
        if (allowed.Count == 0)
        {
            return Stay($"{newest} is available, but a {TypeOf(current, newest).ToString().ToLowerInvariant()} update is not allowed by policy{(pin is null ? "" : $" (pinned to {pin.Versions})")}", vulnerabilities);
        }

        var (chosen, skipped) = await FirstAcceptableAsync(allowed, details, cooldown: true, cancellationToken);
        if (chosen is not { } pick)
        {
            return Stay($"no acceptable update{Notes(skipped)}", vulnerabilities);
        }

        var type = TypeOf(current, pick.Version);
        var reason = $"{type.ToString().ToLowerInvariant()} update";
        if (newest > pick.Version)
        {
            reason += $"; {newest} ({TypeOf(current, newest).ToString().ToLowerInvariant()}) not taken: {(skipped.Count > 0 ? string.Join("; ", skipped) : "not allowed by policy")}";
        }
        else if (skipped.Count > 0)
        {
            reason += Notes(skipped);
        }

        return new DependencyFinding(dependency, pick.Version, type, reason, vulnerabilities, pick.Details);
    }

    /// <summary>The size of a step from one version to another.</summary>
    public static UpdateType TypeOf(NuGetVersion from, NuGetVersion to) =>
        from.Major != to.Major ? UpdateType.Major : from.Minor != to.Minor ? UpdateType.Minor : UpdateType.Patch;

    private async Task<((NuGetVersion Version, PackageDetails Details)? Pick, List<string> Notes)> FirstAcceptableAsync(IEnumerable<NuGetVersion> candidates, DetailsReader details, bool cooldown, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        foreach (var version in candidates.Take(MaxCandidatesChecked))
        {
            var info = await details(version, cancellationToken);
            if (!info.Listed)
            {
                notes.Add($"{version} is unlisted");
            }
            else if (info.Deprecation is { } deprecation && policy.SkipDeprecated)
            {
                notes.Add($"{version} is deprecated ({deprecation})");
            }
            else if (cooldown && policy.MinReleaseAge is { } age && info.Published is { } published && clock.GetUtcNow() - published < age)
            {
                notes.Add($"{version} was published {published:yyyy-MM-dd}, within the {Briefs.DurationParser.Format(age)} cooldown");
            }
            else
            {
                return ((version, info), notes);
            }
        }

        return (null, notes);
    }

    private bool PrereleaseAllowed(NuGetVersion current, NuGetVersion candidate) => !candidate.IsPrerelease || policy.Prerelease switch
    {
        PrereleasePolicy.Always => true,
        PrereleasePolicy.Never => false,
        _ => current.IsPrerelease && current.Major == candidate.Major && current.Minor == candidate.Minor && current.Patch == candidate.Patch,
    };

    private bool Ignored(string id, NuGetVersion version) => policy.Ignore.Any(r => r.Versions is { } range && r.Matches(id) && range.Satisfies(version));

    private static string Describe(IReadOnlyList<Advisory> advisories) =>
        $"vulnerable ({string.Join(", ", advisories.Select(a => $"{a.SeverityName} {a.Url}"))})";

    private static string Notes(List<string> notes) => notes.Count == 0 ? "" : $" ({string.Join("; ", notes)})";
}
