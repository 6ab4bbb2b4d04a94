using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using NuGet.Versioning;

namespace ExecutionLoops.Dependencies.Feeds;

/// <summary>
/// A NuGet v3 HTTP feed. Version lists come from the flat container (one small document per package);
/// registration metadata is read only for versions that are candidates, and only the registration pages
/// that hold them; vulnerabilities come from the feed's VulnerabilityInfo files, downloaded once.
/// </summary>
internal sealed class HttpV3Feed(string name, Uri serviceIndex, AuthenticationHeaderValue? authorization, FeedHttpClient http) : IPackageFeed
{
    private readonly ConcurrentDictionary<string, Lazy<Task<JsonDocument?>>> _registrations = new(StringComparer.Ordinal);
    private readonly Lazy<Task<Dictionary<string, Uri>>> _resources = new(() => LoadServiceIndexAsync(name, serviceIndex, authorization, http));
    private Task<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?>? _advisories;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public Task<IReadOnlyList<NuGetVersion>?> VersionsAsync(string id, CancellationToken cancellationToken) =>
        Guard(() => ReadVersionsAsync(id, cancellationToken));

    /// <inheritdoc />
    public Task<PackageDetails> DetailsAsync(string id, NuGetVersion version, bool withReleaseInfo, CancellationToken cancellationToken) =>
        Guard(() => ReadDetailsAsync(id, version, withReleaseInfo, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?> AdvisoriesAsync(CancellationToken cancellationToken) =>
        _advisories ??= Guard(() => LoadAdvisoriesAsync(cancellationToken));

    /// <summary>A document of the wrong shape (JSON, but not what a v3 feed sends) is a feed error, not a crash.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or UriFormatException)
        {
            throw Garbage($"sent a document that is not a NuGet v3 response ({ex.Message})");
        }
    }

    private async Task<IReadOnlyList<NuGetVersion>?> ReadVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var flat = await ResourceAsync(["PackageBaseAddress/3.0.0"], cancellationToken) ?? throw Garbage("has no PackageBaseAddress/3.0.0 resource");
        using var document = await http.GetJsonAsync(name, new Uri(flat, $"{id.ToLowerInvariant()}/index.json"), authorization, cancellationToken);
        if (document is null)
        {
            return null;
        }

        if (!document.RootElement.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Array)
        {
            throw Garbage($"returned a version list for '{id}' without 'versions'");
        }

        return versions.EnumerateArray().Select(v => NuGetVersion.TryParse(v.GetString(), out var version) ? version : null).OfType<NuGetVersion>().ToList();
    }

    private async Task<PackageDetails> ReadDetailsAsync(string id, NuGetVersion version, bool withReleaseInfo, CancellationToken cancellationToken)
    {
        var leaf = await RegistrationLeafAsync(id, version, cancellationToken);
        var details = leaf is { } entry ? ReadCatalogEntry(entry) : PackageDetails.Unknown;
        if (!withReleaseInfo)
        {
            return details;
        }

        var flat = await ResourceAsync(["PackageBaseAddress/3.0.0"], cancellationToken);
        var lower = id.ToLowerInvariant();
        var normalized = version.ToNormalizedString().ToLowerInvariant();
        var nuspec = flat is null ? null : await http.GetAsync(name, new Uri(flat, $"{lower}/{normalized}/{lower}.nuspec"), authorization, cancellationToken);
        return nuspec is null ? details : Nuspec.Merge(details, nuspec);
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?> LoadAdvisoriesAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<Advisory>>(StringComparer.Ordinal);
        if (await ResourceAsync(["VulnerabilityInfo/6.7.0"], cancellationToken) is not { } index)
        {
            return null;
        }

        using var files = await http.GetJsonAsync(name, index, authorization, cancellationToken) ?? throw Garbage("lists a VulnerabilityInfo resource that does not exist");
        foreach (var file in files.RootElement.EnumerateArray())
        {
            if (!file.TryGetProperty("@id", out var idProperty) || !Uri.TryCreate(index, idProperty.GetString(), out var url))
            {
                throw Garbage("has a vulnerability index entry without '@id'");
            }

            using var data = await http.GetJsonAsync(name, url, authorization, cancellationToken);
            if (data is null)
            {
                continue;
            }

            foreach (var package in data.RootElement.EnumerateObject())
            {
                var list = result.TryGetValue(package.Name.ToLowerInvariant(), out var existing) ? existing : result[package.Name.ToLowerInvariant()] = [];
                foreach (var advisory in package.Value.EnumerateArray())
                {
                    if (VersionRange.TryParse(advisory.GetProperty("versions").GetString() ?? "", out var range))
                    {
                        list.Add(new Advisory(advisory.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "", advisory.TryGetProperty("severity", out var s) ? s.GetInt32() : -1, range));
                    }
                }
            }
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<Advisory>)p.Value.DistinctBy(a => (a.Url, a.Versions.ToNormalizedString())).ToList(), StringComparer.Ordinal);
    }

    /// <summary>The registration leaf's catalog entry of one version; only the page holding it is fetched.</summary>
    private async Task<JsonElement?> RegistrationLeafAsync(string id, NuGetVersion version, CancellationToken cancellationToken)
    {
        var registrations = await ResourceAsync(["RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl"], cancellationToken);
        if (registrations is null)
        {
            return null;
        }

        var index = await Once(id.ToLowerInvariant(), new Uri(registrations, $"{id.ToLowerInvariant()}/index.json"), cancellationToken);
        if (index is null || !index.RootElement.TryGetProperty("items", out var pages))
        {
            return null;
        }

        foreach (var page in pages.EnumerateArray())
        {
            if (!InPage(page, version))
            {
                continue;
            }

            var items = page.TryGetProperty("items", out var inline) ? inline : await PageItemsAsync(page, cancellationToken);
            foreach (var leaf in items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : default)
            {
                if (leaf.TryGetProperty("catalogEntry", out var entry) && NuGetVersion.TryParse(entry.GetProperty("version").GetString(), out var leafVersion) && leafVersion == version)
                {
                    return entry;
                }
            }
        }

        return null;
    }

    private async Task<JsonElement> PageItemsAsync(JsonElement page, CancellationToken cancellationToken)
    {
        var url = new Uri(page.GetProperty("@id").GetString()!);
        var document = await Once(url.AbsoluteUri, url, cancellationToken);
        return document is not null && document.RootElement.TryGetProperty("items", out var items) ? items : default;
    }

    /// <summary>Each registration document is fetched once per run, however many sites ask concurrently.</summary>
    private Task<JsonDocument?> Once(string key, Uri url, CancellationToken cancellationToken) =>
        _registrations.GetOrAdd(key, _ => new Lazy<Task<JsonDocument?>>(() => http.GetJsonAsync(name, url, authorization, cancellationToken))).Value;

    private static bool InPage(JsonElement page, NuGetVersion version) =>
        !page.TryGetProperty("lower", out var lower) || !page.TryGetProperty("upper", out var upper)
        || (NuGetVersion.TryParse(lower.GetString(), out var low) && NuGetVersion.TryParse(upper.GetString(), out var high) && version >= low && version <= high);

    private static PackageDetails ReadCatalogEntry(JsonElement entry)
    {
        var published = entry.TryGetProperty("published", out var p) && DateTimeOffset.TryParse(p.GetString(), out var date) ? date : (DateTimeOffset?)null;

        // The public gallery marks unlisted versions with a 1900 publish date; newer feeds also send 'listed'.
        var listed = entry.TryGetProperty("listed", out var l) ? l.ValueKind != JsonValueKind.False : published is not { Year: 1900 };
        string? deprecation = null;
        if (entry.TryGetProperty("deprecation", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            var reasons = d.TryGetProperty("reasons", out var r) ? string.Join(", ", r.EnumerateArray().Select(x => x.GetString())) : "deprecated";
            deprecation = d.TryGetProperty("message", out var m) ? $"{reasons}: {m.GetString()}" : reasons;
        }

        var projectUrl = entry.TryGetProperty("projectUrl", out var u) && u.GetString() is { Length: > 0 } url ? url : null;
        return new PackageDetails(listed, published is { Year: 1900 } ? null : published, deprecation, projectUrl);
    }

    private async Task<Uri?> ResourceAsync(string[] types, CancellationToken cancellationToken)
    {
        // The service index is read once per run; a failure is remembered so a down feed is not asked again.
        var resources = await _resources.Value.WaitAsync(cancellationToken);
        foreach (var type in types)
        {
            if (resources.TryGetValue(type, out var url))
            {
                return url;
            }
        }

        return null;
    }

    private static async Task<Dictionary<string, Uri>> LoadServiceIndexAsync(string name, Uri serviceIndex, AuthenticationHeaderValue? authorization, FeedHttpClient http)
    {
        using var index = await http.GetJsonAsync(name, serviceIndex, authorization, CancellationToken.None) ?? throw new FeedException(name, $"{serviceIndex} does not exist (404); check the source URL in nuget.config.", unreachable: true);
        if (index.RootElement.ValueKind != JsonValueKind.Object || !index.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            throw new FeedException(name, $"{serviceIndex} is not a NuGet v3 service index (no 'resources').", unreachable: false);
        }

        var result = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var resource in resources.EnumerateArray())
        {
            if (resource.TryGetProperty("@type", out var type) && resource.TryGetProperty("@id", out var id) && Uri.TryCreate(id.GetString(), UriKind.Absolute, out var url))
            {
                var text = url.AbsoluteUri;
                result.TryAdd(type.GetString() ?? "", type.GetString() is "VulnerabilityInfo/6.7.0" || text.EndsWith('/') ? url : new Uri(text + "/"));
            }
        }

        return result;
    }

    private FeedException Garbage(string what) => new(name, $"{serviceIndex} {what}.", unreachable: false);

    /// <summary>The nuspec fields the review body links to.</summary>
    internal static class Nuspec
    {
        public static PackageDetails Merge(PackageDetails details, byte[] nuspec)
        {
            try
            {
                var metadata = XDocument.Parse(Encoding.UTF8.GetString(nuspec)).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
                string? Value(string element) => metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value.Trim() is { Length: > 0 } v ? v : null;
                var repository = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url")?.Value;
                return details with
                {
                    ProjectUrl = details.ProjectUrl ?? Value("projectUrl"),
                    RepositoryUrl = repository is { Length: > 0 } ? repository : null,
                    ReleaseNotes = Value("releaseNotes"),
                };
            }
            catch (System.Xml.XmlException)
            {
                return details;
            }
        }
    }
}
