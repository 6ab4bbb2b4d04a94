using System.Collections.Concurrent;
using ExecutionLoops.Dependencies.Feeds;
using ExecutionLoops.Diagnostics;
using NuGet.Versioning;

namespace ExecutionLoops.Dependencies;

/// <summary>The outcome of a scan.</summary>
/// <param name="Inventory">What the repository declares.</param>
/// <param name="Findings">One verdict per dependency site, sorted by package.</param>
/// <param name="Diagnostics">File, configuration and feed problems; the rest of the scan went on.</param>
/// <param name="Stats">What the feed client did.</param>
public sealed record DependencyScanResult(DependencyInventory Inventory, IReadOnlyList<DependencyFinding> Findings, IReadOnlyList<Diagnostic> Diagnostics, FeedHttpStats Stats)
{
    /// <summary>The findings with a version to move to.</summary>
    public IEnumerable<DependencyFinding> Updates => Findings.Where(f => f.Candidate is not null);

    /// <summary>
    /// The sources asked for vulnerability data that have it (their <c>VulnerabilityInfo</c> resource). Empty means
    /// no check happened: say "not available", never "0 vulnerable".
    /// </summary>
    public IReadOnlyList<string> VulnerabilitySources { get; init; } = [];

    /// <summary>True when at least one source published vulnerability data.</summary>
    public bool VulnerabilityDataAvailable => VulnerabilitySources.Count > 0;

    /// <summary>The scan summary's words on vulnerabilities: a count when data was available, otherwise that it was not.</summary>
    public string VulnerabilitySummary => VulnerabilityDataAvailable
        ? $"{Updates.Count(u => u.Security)} security"
        : "vulnerability data: not available from these sources";
}

/// <summary>
/// Scans a repository for dependency updates without restoring it: discovers declarations, asks each
/// distinct package's sources once (in parallel, bounded per host), then applies the policy per site.
/// A feed or file problem becomes a diagnostic; every other package is still scanned.
/// </summary>
public sealed class DependencyScanner(FeedHttpOptions httpOptions, TimeProvider clock)
{
    /// <summary>Scans <paramref name="root"/>.</summary>
    /// <param name="root">The repository (or worktree) root.</param>
    /// <param name="policy">The update policy.</param>
    /// <param name="withReleaseInfo">Also read candidates' nuspec links and release notes (for review bodies).</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public async Task<DependencyScanResult> ScanAsync(string root, DependencyPolicy policy, bool withReleaseInfo, CancellationToken cancellationToken)
    {
        var inventory = DependencyDiscovery.Discover(root);
        using var http = new FeedHttpClient(httpOptions, clock);
        var sources = new PackageSourceResolver(root, http);
        var diagnostics = new ConcurrentBag<Diagnostic>(inventory.Diagnostics);
        var failedSources = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        // One lookup per distinct package per source set, whichever projects use it.
        var lookups = inventory.Dependencies
            .Where(d => d.Kind != DependencyKind.DotnetSdk)
            .Select(d => (Dependency: d, Feeds: sources.FeedsFor(Path.GetDirectoryName(Path.Combine(root, d.Projects.Count > 0 ? d.Projects[0] : d.Site.File))!, d.PackageId)))
            .ToList();
        var queries = new ConcurrentDictionary<string, Lazy<Task<PackageVersions>>>(StringComparer.Ordinal);
        Task<PackageVersions> Versions(string id, IReadOnlyList<IPackageFeed> feeds) =>
            queries.GetOrAdd($"{id.ToLowerInvariant()}|{string.Join('|', feeds.Select(f => f.Name))}", _ => new Lazy<Task<PackageVersions>>(() => QueryAsync(id, feeds, diagnostics, failedSources, cancellationToken))).Value;

        var vulnerabilitySources = lookups
            .Select(l => sources.VulnerabilitySourcesFor(Path.GetDirectoryName(Path.Combine(root, l.Dependency.Projects.Count > 0 ? l.Dependency.Projects[0] : l.Dependency.Site.File))!))
            .ToList();
        var audit = vulnerabilitySources.Where(v => v.AuditSources).SelectMany(v => v.Feeds).ToHashSet();
        var (advisories, withData) = await LoadAdvisoriesAsync(vulnerabilitySources.SelectMany(v => v.Feeds).Distinct().ToList(), audit, diagnostics, failedSources, cancellationToken);
        var selector = new UpdateSelector(policy, clock);
        var findings = await Task.WhenAll(lookups.Select(async lookup =>
        {
            var versions = await Versions(lookup.Dependency.PackageId, lookup.Feeds);
            var known = advisories.GetValueOrDefault(lookup.Dependency.PackageId.ToLowerInvariant()) ?? [];
            if (versions.Failed)
            {
                return new DependencyFinding(lookup.Dependency, null, null, $"not checked: {versions.FailureReason}", known);
            }

            if (lookup.Feeds.Count == 0)
            {
                return new DependencyFinding(lookup.Dependency, null, null, "no package source applies (packageSourceMapping or disabled sources)", known);
            }

            var finding = await selector.SelectAsync(lookup.Dependency, versions.All, known, (v, ct) => versions.DetailsAsync(v, withReleaseInfo, ct), cancellationToken);
            if (versions.All is null)
            {
                var site = lookup.Dependency.Site;
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownPackage, $"'{lookup.Dependency.PackageId}' was not found on {string.Join(", ", lookup.Feeds.Select(f => f.Name))}.", site.File, site.Line, site.Column, "Check the package id, or the sources and packageSourceMapping in nuget.config."));
            }

            if (versions.All is not null && finding.Dependency.Kind != DependencyKind.DotnetSdk)
            {
                ReportResolution(finding, lookup.Feeds, versions.All, diagnostics);
            }

            if (finding.Unsatisfiable)
            {
                var site = lookup.Dependency.Site;
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.PolicyUnsatisfiable, $"'{lookup.Dependency.PackageId}' {finding.Current}: {finding.Reason}.", site.File, site.Line, site.Column, "Widen the policy (pin, ignore, prerelease) or replace the package."));
            }

            return finding;
        }));

        var sdkFindings = inventory.Dependencies.Where(d => d.Kind == DependencyKind.DotnetSdk)
            .Select(d => new DependencyFinding(d, null, null, "the .NET SDK is not a NuGet package; move it with the SDK's release channel", []));
        var all = AlignSharedSites([.. findings, .. sdkFindings]);
        var ordered = all.OrderBy(f => f.Dependency.PackageId, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Dependency.Site.File, StringComparer.Ordinal).ThenBy(f => f.Dependency.Site.Offset).ToList();
        var problems = diagnostics.Concat(sources.Diagnostics).DistinctBy(d => (d.Code, d.Path, d.Line, d.Message)).OrderBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        return new DependencyScanResult(inventory, ordered, problems, http.Stats) { VulnerabilitySources = withData };
    }

    /// <summary>
    /// A written version the sources do not have is restored as another (NU1603) or not at all (NU1102): both are
    /// warnings at the site, so nobody reads "1.2.3" in the file and believes 1.2.3 is what ships.
    /// </summary>
    private static void ReportResolution(DependencyFinding finding, IReadOnlyList<IPackageFeed> feeds, IReadOnlyList<NuGetVersion> available, ConcurrentBag<Diagnostic> diagnostics)
    {
        var site = finding.Dependency.Site;
        var names = string.Join(", ", feeds.Select(f => f.Name));
        if (finding.Resolved is null)
        {
            var newest = available.Where(v => !v.IsPrerelease).DefaultIfEmpty(available.Max()).Max();
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.WrittenVersionUnresolvable, $"No version of '{finding.Dependency.PackageId}' on {names} satisfies '{site.Text}'; restore fails (NU1102).", site.File, site.Line, site.Column, $"Write a version the sources have (the newest is {newest?.ToNormalizedString()}), or add the source that has {site.Text}."));
        }
        else if (NuGetVersion.TryParse(site.Text, out var written) && written != finding.Resolved)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.WrittenVersionMissing, $"'{finding.Dependency.PackageId}' {site.Text} is not on {names}; restore takes {finding.Resolved.ToNormalizedString()} instead (NU1603).", site.File, site.Line, site.Column, $"Write {finding.Resolved.ToNormalizedString()}, the version restore takes, or add the source that has {site.Text}."));
        }
    }

    /// <summary>
    /// Packages that share one version site (a property used by xunit and xunit.runner.visualstudio) must move
    /// together: to the lowest of their candidates when every package has it, otherwise not at all.
    /// </summary>
    private static List<DependencyFinding> AlignSharedSites(IReadOnlyList<DependencyFinding> findings)
    {
        var result = new List<DependencyFinding>();
        foreach (var site in findings.GroupBy(f => (f.Dependency.Site.File, f.Dependency.Site.Offset)))
        {
            var members = site.ToList();
            if (members.Count == 1 || members.All(m => m.Candidate == members[0].Candidate))
            {
                result.AddRange(members);
                continue;
            }

            var shared = members[0].Dependency.Site.Property is { } property ? $"$({property})" : "the same version";
            var lowest = members.All(m => m.Candidate is not null) ? members.Min(m => m.Candidate) : null;
            foreach (var member in members)
            {
                result.Add(lowest is null
                    ? member with { Candidate = null, Type = null, Reason = $"shares {shared} with {string.Join(", ", members.Where(m => m != member).Select(m => m.Dependency.PackageId))}, which cannot move with it" }
                    : member with { Candidate = lowest, Type = UpdateSelector.TypeOf(member.Resolved ?? NuGetVersion.Parse(member.Current), lowest), Reason = $"{member.Reason}; held to {lowest} because it shares {shared} with {string.Join(", ", members.Where(m => m != member).Select(m => m.Dependency.PackageId))}" });
            }
        }

        return result;
    }

    private static async Task<PackageVersions> QueryAsync(string id, IReadOnlyList<IPackageFeed> feeds, ConcurrentBag<Diagnostic> diagnostics, ConcurrentDictionary<string, bool> failedSources, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<NuGetVersion, IPackageFeed>();
        var found = false;
        var failures = new List<string>();
        foreach (var feed in feeds)
        {
            if (failedSources.ContainsKey(feed.Name))
            {
                failures.Add($"source '{feed.Name}' failed");
                continue;
            }

            try
            {
                var versions = await feed.VersionsAsync(id, cancellationToken);
                if (versions is null)
                {
                    continue;
                }

                found = true;
                foreach (var version in versions)
                {
                    owners.TryAdd(version, feed);
                }
            }
            catch (FeedException ex)
            {
                Report(ex, diagnostics, failedSources);
                failures.Add($"source '{feed.Name}' failed");
            }
        }

        // A package missing from a healthy source but unknown because another source failed is not "not found".
        return failures.Count > 0 && !found ? PackageVersions.Failure(string.Join("; ", failures.Distinct())) : new PackageVersions(found ? owners : null, diagnostics, failedSources, id);
    }

    private static async Task<(Dictionary<string, IReadOnlyList<Advisory>> Advisories, List<string> WithData)> LoadAdvisoriesAsync(IReadOnlyList<IPackageFeed> feeds, HashSet<IPackageFeed> auditSources, ConcurrentBag<Diagnostic> diagnostics, ConcurrentDictionary<string, bool> failedSources, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, IReadOnlyList<Advisory>>(StringComparer.Ordinal);
        var withData = new List<string>();
        foreach (var feed in feeds)
        {
            try
            {
                if (await feed.AdvisoriesAsync(cancellationToken) is not { } data)
                {
                    if (auditSources.Contains(feed))
                    {
                        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.AuditSourceWithoutData, $"Audit source '{feed.Name}' publishes no vulnerability data (NU1905); no package was checked against it.", hint: "Point <auditSources> at a source with a VulnerabilityInfo resource (a mirror of the public vulnerability data)."));
                    }

                    continue;
                }

                withData.Add(feed.Name);
                foreach (var (id, list) in data)
                {
                    merged[id] = merged.TryGetValue(id, out var existing) ? [.. existing, .. list] : list;
                }
            }
            catch (FeedException ex)
            {
                Report(ex, diagnostics, failedSources);
            }
        }

        return (merged, withData);
    }

    private static void Report(FeedException ex, ConcurrentBag<Diagnostic> diagnostics, ConcurrentDictionary<string, bool> failedSources)
    {
        if (failedSources.TryAdd(ex.SourceName, true))
        {
            diagnostics.Add(Diagnostic.Error(
                ex.Unreachable ? DiagnosticCodes.FeedUnreachable : DiagnosticCodes.FeedInvalidResponse,
                $"Package source '{ex.SourceName}': {ex.Message}",
                hint: ex.Unreachable ? "Check the URL, the network and the credentials; packages only on this source were not checked." : "The source answered with something that is not a NuGet v3 feed; check its URL."));
        }
    }

    /// <summary>The versions of one package across its sources, and where to ask about each.</summary>
    private sealed class PackageVersions(Dictionary<NuGetVersion, IPackageFeed>? owners, ConcurrentBag<Diagnostic>? diagnostics, ConcurrentDictionary<string, bool>? failedSources, string id)
    {
        private readonly ConcurrentDictionary<NuGetVersion, Lazy<Task<PackageDetails>>> _details = new();

        public bool Failed { get; private init; }

        public string FailureReason { get; private init; } = "";

        public IReadOnlyList<NuGetVersion>? All { get; } = owners?.Keys.ToList();

        public static PackageVersions Failure(string reason) => new(null, null, null, "") { Failed = true, FailureReason = reason };

        public Task<PackageDetails> DetailsAsync(NuGetVersion version, bool withReleaseInfo, CancellationToken cancellationToken) =>
            _details.GetOrAdd(version, v => new Lazy<Task<PackageDetails>>(async () =>
            {
                try
                {
                    return owners is not null && owners.TryGetValue(v, out var feed) ? await feed.DetailsAsync(id, v, withReleaseInfo, cancellationToken) : PackageDetails.Unknown;
                }
                catch (FeedException ex)
                {
                    Report(ex, diagnostics!, failedSources!);
                    return PackageDetails.Unknown;
                }
            })).Value;
    }
}
