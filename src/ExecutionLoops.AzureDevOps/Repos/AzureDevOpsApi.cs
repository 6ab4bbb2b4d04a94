using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using Polly;
using Polly.Retry;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// The Azure DevOps REST API (7.1) as loops calls it, over a plain <see cref="HttpClient"/>: the .NET client
/// libraries are not served by the package feeds this project builds from, and the few calls need no more than JSON.
/// Every call goes through one retry policy: 429 (honouring Retry-After) and 5xx are retried with back-off;
/// 401/403 — and the 203 or redirect to a sign-in page that an unaccepted token gets — become EL4012 naming the
/// permission the call needs.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The HTTP client lives as long as the review target, which lives for one command.")]
internal sealed class AzureDevOpsApi
{
    /// <summary>The REST API version every versioned call asks for.</summary>
    public const string Version = "7.1";

    private readonly HttpClient _http;
    private readonly string _authorization;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Connects with the settings' token; <paramref name="maxRetryDelay"/> caps the waits servers ask for.</summary>
    public AzureDevOpsApi(AzureReposSettings settings, TimeSpan maxRetryDelay, TimeProvider clock, int attempts = 4)
    {
        // No automatic redirects: Azure DevOps answers an unaccepted token with a redirect to its sign-in page.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ExecutionLoops", "1.0"));
        _authorization = settings.Authorization;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .HandleResult(response => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(),
                DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome.Result, maxRetryDelay, clock)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>GET; null when the resource does not exist (404).</summary>
    public Task<JsonNode?> GetAsync(Uri url, string what, string permission, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, url, null, what, permission, HttpStatusCode.NotFound, cancellationToken);

    /// <summary>Sends a request with a JSON body and returns the JSON answer.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, Uri url, JsonNode? body, string what, string permission, CancellationToken cancellationToken) =>
        await SendAsync(method, url, body, what, permission, tolerated: null, cancellationToken) ?? new JsonObject();

    /// <summary>A versioned URL: <paramref name="baseUrl"/> + <paramref name="path"/> + the query and api-version.</summary>
    public static Uri Url(Uri baseUrl, string path, params (string Name, string? Value)[] query)
    {
        var parameters = query.Where(q => q.Value is not null).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").Append($"api-version={Version}");
        return new Uri(baseUrl, $"{path}?{string.Join('&', parameters)}");
    }

    /// <summary>Sends a request; null when the answer has the <paramref name="tolerated"/> status (e.g. 409 for a pull request that already exists).</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, Uri url, JsonNode? body, string what, string permission, HttpStatusCode? tolerated, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(method, url);
                    request.Headers.TryAddWithoutValidation("Authorization", _authorization);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    if (body is not null)
                    {
                        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                    }

                    return await _http.SendAsync(request, token);
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.AzureDevOpsCallFailed, $"Azure DevOps API: {what} failed after retries: {ex.Message}", "Check the collection URL and the service's status; the run can be resumed with 'loops resume'.", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 401 or 403 or 203 || (status is >= 300 and < 400))
            {
                var why = status is 203 or (>= 300 and < 400) ? "the token was not accepted (sign-in page)" : $"refused ({status}): {Message(text) ?? "no reason given"}";
                throw LoopsException.Infrastructure(
                    DiagnosticCodes.AzureDevOpsPermission,
                    $"Azure DevOps API: {what} — {why}; the identity needs '{permission}'.",
                    $"Grant '{permission}' to the identity behind the token (for System.AccessToken: the project's build service, e.g. '<project> Build Service (<organization>)', in Project settings → Repositories → Security), or use a token that has it.");
            }

            if (response.StatusCode == tolerated)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw LoopsException.Infrastructure(DiagnosticCodes.AzureDevOpsCallFailed, $"Azure DevOps API: {what} failed ({status}): {Message(text) ?? response.ReasonPhrase}", "Check the collection URL, project and repository in .loops/config.yml; the run can be resumed with 'loops resume'.");
            }

            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text);
        }
    }

    /// <summary>The message of an Azure DevOps error document ({"message": …, "typeKey": …}).</summary>
    private static string? Message(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject error && error["message"]?.GetValue<string>() is { } message ? message : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The wait the server asked for (Retry-After in seconds or as a date), capped; null for exponential back-off.</summary>
    private static TimeSpan? ServerDelay(HttpResponseMessage? response, TimeSpan cap, TimeProvider clock)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - clock.GetUtcNow() : TimeSpan.Zero);
        return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : wait < cap ? wait : cap;
    }
}
