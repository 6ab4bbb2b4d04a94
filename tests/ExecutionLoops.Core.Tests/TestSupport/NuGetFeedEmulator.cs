using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExecutionLoops.Core.Tests.TestSupport;

/// <summary>
/// A NuGet v3 feed on 127.0.0.1 over real HTTP: service index, flat container (version lists, nuspecs and
/// generated .nupkg files that restore accepts), registration (inline or paged), vulnerability files, ETags
/// with 304 answers, optional basic auth, and queued faults (429 with Retry-After, 5xx, garbage).
/// </summary>
public sealed class NuGetFeedEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<FeedPackage>> _packages = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string PathPart, int Status, string? Body, string? RetryAfter)> _faults = new();
    private readonly List<JsonObject> _vulnerabilities = [];

    private NuGetFeedEmulator(WebApplication app) => _app = app;

    /// <summary>Every request: path and whether it was conditional.</summary>
    public ConcurrentQueue<(string Path, bool Conditional, int Status)> Requests { get; } = new();

    /// <summary>The service index URL for nuget.config.</summary>
    public string ServiceIndex => _app.Urls.First() + "/v3/index.json";

    /// <summary>Registration pages are served separately (no inline items) when true.</summary>
    public bool PagedRegistrations { get; set; }

    /// <summary>False for a source that publishes no vulnerability data (no VulnerabilityInfo resource in its index).</summary>
    public bool VulnerabilityData { get; set; } = true;

    /// <summary>When set, requests must carry this basic-auth user:password.</summary>
    public string? RequiredCredentials { get; set; }

    public static async Task<NuGetFeedEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var feed = new NuGetFeedEmulator(app);
        app.Use(feed.Middleware);
        app.MapGet("/v3/index.json", (HttpContext c) => feed.Json(c, feed.ServiceIndexDocument()));
        app.MapGet("/v3/flat/{id}/index.json", (HttpContext c, string id) =>
            feed._packages.TryGetValue(id, out var list) ? feed.Json(c, new JsonObject { ["versions"] = new JsonArray([.. list.Select(p => (JsonNode)p.Version.ToLowerInvariant())]) }) : Results.NotFound());
        app.MapGet("/v3/flat/{id}/{version}/{file}", (HttpContext c, string id, string version, string file) =>
        {
            var package = feed.Find(id, version);
            if (package is null)
            {
                return Results.NotFound();
            }

            return file.EndsWith(".nuspec", StringComparison.Ordinal)
                ? Results.Bytes(Encoding.UTF8.GetBytes(package.Nuspec()), "application/xml")
                : Results.Bytes(package.Nupkg(), "application/octet-stream");
        });
        app.MapGet("/v3/registration/{id}/index.json", (HttpContext c, string id) =>
            feed._packages.TryGetValue(id, out var list) ? feed.Json(c, feed.Registration(id, list)) : Results.NotFound());
        app.MapGet("/v3/registration/{id}/page.json", (HttpContext c, string id) =>
            feed._packages.TryGetValue(id, out var list) ? feed.Json(c, new JsonObject { ["items"] = feed.Leaves(id, list) }) : Results.NotFound());
        app.MapGet("/v3/vulnerabilities/index.json", (HttpContext c) => feed.Json(c, new JsonArray(new JsonObject { ["@name"] = "base", ["@id"] = feed._app.Urls.First() + "/v3/vulnerabilities/base.json", ["@updated"] = "2026-01-01T00:00:00Z" })));
        app.MapGet("/v3/vulnerabilities/base.json", (HttpContext c) =>
        {
            var document = new JsonObject();
            lock (feed._vulnerabilities)
            {
                foreach (var entry in feed._vulnerabilities)
                {
                    var id = entry["id"]!.GetValue<string>().ToLowerInvariant();
                    var list = document[id] as JsonArray ?? (JsonArray)(document[id] = new JsonArray());
                    list.Add(new JsonObject { ["url"] = entry["url"]!.GetValue<string>(), ["severity"] = entry["severity"]!.GetValue<int>(), ["versions"] = entry["versions"]!.GetValue<string>() });
                }
            }

            return feed.Json(c, document);
        });
        await app.StartAsync();
        return feed;
    }

    /// <summary>Adds a version.</summary>
    public NuGetFeedEmulator Add(string id, string version, DateTimeOffset? published = null, bool listed = true, string? deprecation = null, string? repositoryUrl = null, string? releaseNotes = null)
    {
        _packages.AddOrUpdate(id, _ => [new FeedPackage(id, version, published ?? DateTimeOffset.UtcNow.AddDays(-90), listed, deprecation, repositoryUrl, releaseNotes)], (_, list) =>
        {
            lock (list)
            {
                list.Add(new FeedPackage(id, version, published ?? DateTimeOffset.UtcNow.AddDays(-90), listed, deprecation, repositoryUrl, releaseNotes));
            }

            return list;
        });
        return this;
    }

    /// <summary>Adds several versions of a package.</summary>
    public NuGetFeedEmulator Add(string id, params string[] versions)
    {
        foreach (var version in versions)
        {
            Add(id, version);
        }

        return this;
    }

    /// <summary>Publishes an advisory for a range of versions.</summary>
    public NuGetFeedEmulator Vulnerable(string id, string versions, int severity = 2, string? url = null)
    {
        lock (_vulnerabilities)
        {
            _vulnerabilities.Add(new JsonObject { ["id"] = id, ["versions"] = versions, ["severity"] = severity, ["url"] = url ?? $"https://github.com/advisories/GHSA-{id.ToLowerInvariant()}" });
        }

        return this;
    }

    /// <summary>The next request whose path contains <paramref name="pathPart"/> gets this answer.</summary>
    public void Fail(string pathPart, int status, string? body = null, string? retryAfter = null) => _faults.Enqueue((pathPart, status, body, retryAfter));

    /// <summary>Requests for a path part (e.g. "/flat/xunit/").</summary>
    public int Count(string pathPart) => Requests.Count(r => r.Path.Contains(pathPart, StringComparison.OrdinalIgnoreCase));

    private async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var conditional = context.Request.Headers.IfNoneMatch.Count > 0;
        if (RequiredCredentials is { } credentials && context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)))
        {
            Requests.Enqueue((path, conditional, 401));
            context.Response.StatusCode = 401;
            return;
        }

        foreach (var fault in _faults)
        {
            if (path.Contains(fault.PathPart, StringComparison.OrdinalIgnoreCase) && _faults.TryDequeue(out var taken))
            {
                Requests.Enqueue((path, conditional, taken.Status));
                context.Response.StatusCode = taken.Status;
                if (taken.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = retryAfter;
                }

                if (taken.Body is { } body)
                {
                    await context.Response.WriteAsync(body);
                }

                return;
            }
        }

        await next(context);
        Requests.Enqueue((path, conditional, context.Response.StatusCode));
    }

    private IResult Json(HttpContext context, JsonNode document)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var etag = $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return Results.StatusCode(304);
        }

        context.Response.Headers.ETag = etag;
        return Results.Bytes(bytes, "application/json");
    }

    private JsonObject ServiceIndexDocument()
    {
        var root = _app.Urls.First();
        var resources = new JsonArray(
            new JsonObject { ["@id"] = root + "/v3/flat/", ["@type"] = "PackageBaseAddress/3.0.0" },
            new JsonObject { ["@id"] = root + "/v3/registration/", ["@type"] = "RegistrationsBaseUrl/3.6.0" },
            new JsonObject { ["@id"] = root + "/v3/registration/", ["@type"] = "RegistrationsBaseUrl" });
        if (VulnerabilityData)
        {
            resources.Add(new JsonObject { ["@id"] = root + "/v3/vulnerabilities/index.json", ["@type"] = "VulnerabilityInfo/6.7.0" });
        }

        return new JsonObject { ["version"] = "3.0.0", ["resources"] = resources };
    }

    private JsonObject Registration(string id, List<FeedPackage> list)
    {
        var versions = Snapshot(list).Select(p => NuGet.Versioning.NuGetVersion.Parse(p.Version)).Order().ToList();
        var page = new JsonObject
        {
            ["@id"] = _app.Urls.First() + $"/v3/registration/{id.ToLowerInvariant()}/page.json",
            ["count"] = versions.Count,
            ["lower"] = versions[0].ToNormalizedString(),
            ["upper"] = versions[^1].ToNormalizedString(),
        };
        if (!PagedRegistrations)
        {
            page["items"] = Leaves(id, list);
        }

        return new JsonObject { ["count"] = 1, ["items"] = new JsonArray(page) };
    }

    private JsonArray Leaves(string id, List<FeedPackage> list) => new([.. Snapshot(list).Select(p =>
    {
        var entry = new JsonObject
        {
            ["id"] = id,
            ["version"] = p.Version,
            ["listed"] = p.Listed,
            ["published"] = p.Listed ? p.Published.ToString("o") : "1900-01-01T00:00:00+00:00",
            ["projectUrl"] = $"https://example.org/{id}",
        };
        if (p.Deprecation is { } reason)
        {
            entry["deprecation"] = new JsonObject { ["reasons"] = new JsonArray("Legacy"), ["message"] = reason };
        }

        return (JsonNode)new JsonObject { ["catalogEntry"] = entry };
    })]);

    private FeedPackage? Find(string id, string version) =>
        _packages.TryGetValue(id, out var list) ? Snapshot(list).FirstOrDefault(p => p.Version.Equals(version, StringComparison.OrdinalIgnoreCase)) : null;

    private static List<FeedPackage> Snapshot(List<FeedPackage> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record FeedPackage(string Id, string Version, DateTimeOffset Published, bool Listed, string? Deprecation, string? RepositoryUrl, string? ReleaseNotes)
    {
        public string Nuspec() =>
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{Id}</id>
                <version>{Version}</version>
                <authors>test</authors>
                <description>{Id} for tests</description>
                {(RepositoryUrl is null ? "" : $"<repository type=\"git\" url=\"{RepositoryUrl}\" />")}
                {(ReleaseNotes is null ? "" : $"<releaseNotes>{ReleaseNotes}</releaseNotes>")}
              </metadata>
            </package>
            """;

        public byte[] Nupkg()
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var writer = new StreamWriter(zip.CreateEntry($"{Id}.nuspec").Open()))
                {
                    writer.Write(Nuspec());
                }

                using (var writer = new StreamWriter(zip.CreateEntry("lib/netstandard2.0/_._").Open()))
                {
                    writer.Write("");
                }
            }

            return buffer.ToArray();
        }
    }
}
