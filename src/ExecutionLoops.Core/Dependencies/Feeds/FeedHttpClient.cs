using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ExecutionLoops.Dependencies.Feeds;

/// <summary>How feed requests are made.</summary>
/// <param name="CacheDirectory">Where responses are kept across runs; null for no disk cache.</param>
/// <param name="CacheTtl">How long a cached response is used without asking the server; after that it is revalidated with a conditional request.</param>
/// <param name="MaxConcurrencyPerHost">Requests in flight per host.</param>
/// <param name="RetryDelay">First retry delay (doubled each attempt) when the server sends no Retry-After.</param>
/// <param name="MaxRetries">Retries after 429, 5xx or a time-out.</param>
/// <param name="AttemptTimeout">Time-out of one attempt.</param>
public sealed record FeedHttpOptions(string? CacheDirectory, TimeSpan CacheTtl, int MaxConcurrencyPerHost = 8, TimeSpan? RetryDelay = null, int MaxRetries = 3, TimeSpan? AttemptTimeout = null)
{
    /// <summary>The per-user cache folder (<c>LOOPS_HTTP_CACHE</c>, else the XDG cache home) with a 30-minute TTL.</summary>
    public static FeedHttpOptions Default => new(DefaultCacheDirectory(), TimeSpan.FromMinutes(30));

    private static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("LOOPS_HTTP_CACHE") is { Length: > 0 } configured)
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(xdg is { Length: > 0 } ? xdg : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) : Path.Combine(home, ".cache"), "loops", "http");
    }
}

/// <summary>Counts of what the feed client did, for tests, benchmarks and the scan summary.</summary>
public sealed class FeedHttpStats
{
    private int _requests;
    private int _cacheHits;
    private int _revalidated;
    private int _retries;

    /// <summary>HTTP requests sent (retries included).</summary>
    public int Requests => _requests;

    /// <summary>Responses served from the disk cache without a request.</summary>
    public int CacheHits => _cacheHits;

    /// <summary>Conditional requests answered 304 Not Modified.</summary>
    public int Revalidated => _revalidated;

    /// <summary>Retried attempts.</summary>
    public int Retries => _retries;

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void CacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void NotModified() => Interlocked.Increment(ref _revalidated);

    internal void Retry() => Interlocked.Increment(ref _retries);
}

/// <summary>
/// GETs for NuGet feeds: a bounded number of requests per host, retries with backoff on 429 and 5xx
/// (honouring Retry-After), and an on-disk cache shared by runs (fresh entries are used as they are, stale
/// ones are revalidated with If-None-Match / If-Modified-Since).
/// </summary>
internal sealed class FeedHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly FeedHttpOptions _options;
    private readonly TimeProvider _clock;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a client; <paramref name="clock"/> dates the cache entries and reads a Retry-After date.</summary>
    public FeedHttpClient(FeedHttpOptions options, TimeProvider clock, HttpMessageHandler? handler = null)
    {
        _options = options;
        _clock = clock;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ExecutionLoops", typeof(FeedHttpClient).Assembly.GetName().Version?.ToString() ?? "1.0"));
        var delay = options.RetryDelay ?? TimeSpan.FromMilliseconds(500);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = delay,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, delay)),
                OnRetry = args =>
                {
                    Stats.Retry();
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout ?? TimeSpan.FromSeconds(60))
            .Build();
    }

    /// <summary>What this client did so far.</summary>
    public FeedHttpStats Stats { get; } = new();

    /// <summary>
    /// GETs a URL and returns its body, or null on 404. Throws <see cref="FeedException"/> when the server
    /// cannot be reached or keeps failing.
    /// </summary>
    public async Task<byte[]?> GetAsync(string source, Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var entry = CacheEntry.For(_options.CacheDirectory, url);
        var cached = entry?.Load();
        if (cached is not null && _clock.GetUtcNow() - cached.FetchedAt < _options.CacheTtl && (cached.NotFound || entry!.Body() is not null))
        {
            Stats.CacheHit();
            return cached.NotFound ? null : entry!.Body();
        }

        var gate = _hosts.GetOrAdd(url.Authority, _ => new SemaphoreSlim(_options.MaxConcurrencyPerHost));
        await gate.WaitAsync(cancellationToken);
        try
        {
            using var response = await SendAsync(source, url, authorization, cached, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
            {
                Stats.NotModified();
                entry!.Save(cached with { FetchedAt = _clock.GetUtcNow() }, null);
                return cached.NotFound ? null : entry.Body();
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                entry?.Save(new CachedResponse(_clock.GetUtcNow(), null, null, true), []);
                return null;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new FeedException(source, $"{url.GetLeftPart(UriPartial.Path)} refused the request ({(int)response.StatusCode} {response.ReasonPhrase}); check the source's credentials in nuget.config.", unreachable: true);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new FeedException(source, $"{url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase} after {_options.MaxRetries} retries.", unreachable: true);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            entry?.Save(new CachedResponse(_clock.GetUtcNow(), response.Headers.ETag?.ToString(), response.Content.Headers.LastModified, false), body);
            return body;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>GETs a JSON document; anything that is not JSON is a <see cref="FeedException"/>.</summary>
    public async Task<JsonDocument?> GetJsonAsync(string source, Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var body = await GetAsync(source, url, authorization, cancellationToken);
        if (body is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            CacheEntry.For(_options.CacheDirectory, url)?.Delete();
            throw new FeedException(source, $"{url.GetLeftPart(UriPartial.Path)} did not return JSON ({ex.Message}); is it a NuGet v3 feed?", unreachable: false);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string source, Uri url, AuthenticationHeaderValue? authorization, CachedResponse? cached, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    Stats.Request();
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Authorization = authorization;
                    if (cached is { NotFound: false, ETag: { } etag } && EntityTagHeaderValue.TryParse(etag, out var tag))
                    {
                        request.Headers.IfNoneMatch.Add(tag);
                    }
                    else if (cached is { NotFound: false, LastModified: { } modified })
                    {
                        request.Headers.IfModifiedSince = modified;
                    }

                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw new FeedException(source, $"{url.GetLeftPart(UriPartial.Authority)} cannot be reached: {ex.Message}", unreachable: true);
        }
    }

    private TimeSpan RetryAfter(HttpResponseMessage? response, TimeSpan fallback)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _clock.GetUtcNow() : null);
        return wait is { } value && value > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(value.Ticks, TimeSpan.FromSeconds(60).Ticks)) : fallback;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private sealed record CachedResponse(DateTimeOffset FetchedAt, string? ETag, DateTimeOffset? LastModified, bool NotFound);

    /// <summary>One URL's cached response: a small metadata file next to the body, both written atomically.</summary>
    private sealed class CacheEntry(string metadataPath, string bodyPath)
    {
        public static CacheEntry? For(string? directory, Uri url)
        {
            if (directory is null)
            {
                return null;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
            var folder = Path.Combine(directory, hash[..2]);
            return new CacheEntry(Path.Combine(folder, hash + ".meta.json"), Path.Combine(folder, hash + ".body"));
        }

        public CachedResponse? Load()
        {
            try
            {
                return File.Exists(metadataPath) && (File.Exists(bodyPath) || File.ReadAllText(metadataPath).Contains("\"NotFound\":true", StringComparison.Ordinal))
                    ? JsonSerializer.Deserialize<CachedResponse>(File.ReadAllText(metadataPath))
                    : null;
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public byte[]? Body()
        {
            try
            {
                return File.ReadAllBytes(bodyPath);
            }
            catch (IOException)
            {
                return null;
            }
        }

        public void Save(CachedResponse response, byte[]? body)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(metadataPath)!);
                if (body is not null)
                {
                    WriteAtomically(bodyPath, body);
                }

                WriteAtomically(metadataPath, JsonSerializer.SerializeToUtf8Bytes(response));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The cache is an optimisation: a read-only or full disk must not fail the scan.
            }
        }

        public void Delete()
        {
            File.Delete(metadataPath);
            File.Delete(bodyPath);
        }

        private static void WriteAtomically(string path, byte[] content)
        {
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
    }
}
