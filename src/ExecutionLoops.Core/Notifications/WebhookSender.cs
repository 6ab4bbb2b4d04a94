using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ExecutionLoops.Notifications;

/// <summary>
/// POSTs one JSON body to one webhook with bounded retries (connection failures, 408, 429 and 5xx; exponential
/// back-off) inside a total time-out, so a dead or hanging receiver costs at most that long. It never throws for the
/// receiver's sake: the outcome says what happened, and the caller turns a failure into a warning.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _retryDelay;
    private readonly int _retries;

    public WebhookSender(HttpMessageHandler? handler = null, int retries = 3, TimeSpan? retryDelay = null)
    {
        // No redirects: a webhook that redirects could hand the signed body (and a Slack/Teams token in the path) elsewhere.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ExecutionLoops", typeof(WebhookSender).Assembly.GetName().Version?.ToString() ?? "1.0"));
        _retries = retries;
        _retryDelay = retryDelay ?? TimeSpan.FromMilliseconds(300);
    }

    /// <summary>Sends <paramref name="body"/>; the headers are added to every attempt.</summary>
    public async Task<DeliveryOutcome> SendAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = _retryDelay,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    foreach (var (name, value) in headers)
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }

                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                },
                cancellationToken);
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(true, attempts, $"HTTP {(int)response.StatusCode}", TimedOut: false)
                : new DeliveryOutcome(false, attempts, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", TimedOut: false);
        }
        catch (TimeoutRejectedException)
        {
            return new DeliveryOutcome(false, attempts, $"no answer within {timeout.TotalSeconds:0.#} s", TimedOut: true);
        }
        catch (HttpRequestException ex)
        {
            // The message names the host at most; the URL (a credential) is never part of it.
            return new DeliveryOutcome(false, attempts, ex.HttpRequestError == HttpRequestError.ConnectionError ? "connection failed" : ex.HttpRequestError.ToString(), TimedOut: false);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What became of one delivery.</summary>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Attempts">How many requests were made.</param>
/// <param name="Detail">The last status, or why there was none.</param>
/// <param name="TimedOut">True when the total time-out ended it.</param>
internal sealed record DeliveryOutcome(bool Delivered, int Attempts, string Detail, bool TimedOut);
