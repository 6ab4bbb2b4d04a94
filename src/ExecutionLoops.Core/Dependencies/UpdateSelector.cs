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

        var text = dependency.Site.Text;
        var written = NuGetVersion.TryParse(text, out var parsed) ? parsed : null;

        // MSBuild SDKs, tools and downloads take exactly the version written; a PackageReference's "1.2.3" means
        // "1.2.3 or higher", and restore takes the lowest applicable version the sources have (NuGet's own rule).
        var exact = dependency.Kind is DependencyKind.MSBuildSdk or DependencyKind.DotnetTool or DependencyKind.PackageDownload;
        var range = written is not null
            ? exact ? new VersionRange(written, true, written, true) : new VersionRange(written)
            : VersionRange.TryParse(text, out var writtenRange) ? writtenRange : null;
        if (range is null)
        {
            return Stay($"'{text}' is neither a version nor a version range; left as written");
        }

        var resolved = available is null ? null : range.FindBestMatch(available);
        if (written is null)
        {
            var outcome = resolved is null
                ? available is null ? "no package source has this package" : $"no version on the sources satisfies '{text}'; restore fails (NU1102)"
                : range.IsFloating
                    ? $"floating version '{text}' takes the newest match on every restore (now {resolved.ToNormalizedString()}){(dependency.LockedVersion is { } locked ? $", locked at {locked}" : "")}"
                    : $"'{text}' is a version range, left as written; restore takes {resolved.ToNormalizedString()}";
            var known = resolved is null ? [] : advisories.Where(a => a.Versions.Satisfies(resolved)).ToList();
            return Stay(known.Count > 0 ? $"{outcome}; {resolved} is {Describe(known)}" : outcome, known) with { Resolved = resolved, Lines = resolved is null ? UpdateLines.None : UpdateLines.Of(resolved, Eligible(dependency.PackageId, resolved, available!)) };
        }

        if (available is null)
        {
            return Stay("no package source has this package");
        }

        if (resolved is null && !exact)
        {
            return Stay($"no version {written.ToNormalizedString()} or higher is on the sources; restore fails (NU1102)");
        }

        var current = resolved ?? written;
        var note = resolved is null ? $"{text} is not on the sources; restore fails (NU1102)"
            : resolved != written ? $"{text} is not on the sources; restore takes {resolved.ToNormalizedString()} (NU1603)"
            : null;
        var decided = await DecideAsync(dependency, current, available, advisories, details, cancellationToken);
        return decided with
        {
            Resolved = resolved,
            Lines = UpdateLines.Of(current, Eligible(dependency.PackageId, current, available)),
            Reason = note is null ? decided.Reason : $"{decided.Reason}; {note}",
        };
    }

    /// <summary>The policy's verdict, starting from the version restore resolves.</summary>
    private async Task<DependencyFinding> DecideAsync(Dependency dependency, NuGetVersion current, IReadOnlyList<NuGetVersion> available, IReadOnlyList<Advisory> advisories, DetailsReader details, CancellationToken cancellationToken)
    {
        DependencyFinding Stay(string reason, IReadOnlyList<Advisory>? found = null) => new(dependency, null, null, reason, found ?? []);

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

        // A conditioned pin (one per target framework) stays on its own major line when the policy says so.
        var ownMajor = policy.ConditionedSitesKeepMajor && dependency.Site.Condition is not null;
        var allowed = eligible.Where(v => policy.UpdateTypes.Contains(TypeOf(current, v)) && !(ownMajor && TypeOf(current, v) == UpdateType.Major) && (pin?.Versions?.Satisfies(v) ?? true)).OrderDescending().ToList();
        if (allowed.Count == 0)
        {
            var why = ownMajor && TypeOf(current, newest) == UpdateType.Major ? $"a conditioned site keeps its major line ({current.Major}.x) by policy" : $"a {TypeOf(current, newest).ToString().ToLowerInvariant()} update is not allowed by policy";
            return Stay($"{newest} is available, but {why}{(pin is null ? "" : $" (pinned to {pin.Versions})")}", vulnerabilities);
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

    /// <summary>The newer versions the policy could ever offer: pre-releases as the policy allows them, ignored versions left out.</summary>
    private IEnumerable<NuGetVersion> Eligible(string id, NuGetVersion current, IReadOnlyList<NuGetVersion> available) =>
        available.Where(v => v > current && PrereleaseAllowed(current, v) && !Ignored(id, v));

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
