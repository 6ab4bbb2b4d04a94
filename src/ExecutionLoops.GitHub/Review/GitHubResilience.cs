using System.Net;
using ExecutionLoops.Diagnostics;
using Octokit;
using Polly;
using Polly.Retry;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// Calls to the GitHub API with retries: 5xx, time-outs and rate limits (primary and secondary) are
/// retried with back-off, honouring Retry-After and the rate-limit reset; a 403 that is not a rate limit
/// becomes EL4005 naming the permission the call needs.
/// </summary>
internal sealed class GitHubResilience(TimeSpan maxDelay, TimeProvider clock, int attempts = 4)
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = attempts,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome.Exception, maxDelay, clock)),
        })
        .Build();

    /// <summary>Runs an API call; <paramref name="permission"/> names what a 403 means (e.g. "pull-requests: write").</summary>
    public async Task<T> RunAsync<T>(string what, string permission, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token), cancellationToken);
        }
        catch (AuthorizationException ex)
        {
            throw Denied(what, permission, ex);
        }
        catch (ForbiddenException ex) when (!IsRateLimit(ex))
        {
            throw Denied(what, permission, ex);
        }
        catch (NotFoundException ex)
        {
            // GitHub answers 404 rather than 403 when a token may not see a repository.
            throw Denied(what, permission, ex);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PublishFailed, $"GitHub API: {what} failed after retries: {ex.Message}", "Check GitHub's status and the API URL; the run can be resumed with 'loops resume'.", ex);
        }
    }

    private static LoopsException Denied(string what, string permission, ApiException ex) =>
        LoopsException.Infrastructure(DiagnosticCodes.GitHubPermission, $"GitHub API: {what} was refused ({(int)ex.StatusCode}): the token lacks '{permission}'.", $"Grant '{permission}' in the workflow's permissions: block (or to the token).", ex);

    private static bool IsTransient(Exception ex) => ex switch
    {
        RateLimitExceededException => true,
        SecondaryRateLimitExceededException => true,
        ForbiddenException forbidden => IsRateLimit(forbidden),
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode == (HttpStatusCode)429,
        HttpRequestException => true,
        TaskCanceledException => true,
        _ => false,
    };

    private static bool IsRateLimit(ApiException ex) =>
        ex.HttpResponse?.Headers is { } headers && (headers.ContainsKey("Retry-After") || (headers.TryGetValue("X-RateLimit-Remaining", out var remaining) && remaining == "0"));

    /// <summary>The wait the server asked for (Retry-After, or until the rate-limit reset), capped; null for exponential back-off.</summary>
    private static TimeSpan? ServerDelay(Exception? ex, TimeSpan cap, TimeProvider clock)
    {
        if (ex is ApiException { HttpResponse.Headers: { } headers })
        {
            if (headers.TryGetValue("Retry-After", out var retryAfter) && int.TryParse(retryAfter, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, cap.TotalSeconds));
            }

            if (headers.TryGetValue("X-RateLimit-Reset", out var reset) && long.TryParse(reset, out var epoch))
            {
                var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - clock.GetUtcNow();
                return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : wait < cap ? wait : cap;
            }
        }

        return null;
    }
}
