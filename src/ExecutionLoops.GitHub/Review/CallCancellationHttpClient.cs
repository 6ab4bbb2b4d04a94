using Octokit;
using Octokit.Internal;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// Octokit's clients take no cancellation token (only its connection's lower-level calls do), so this HTTP client
/// under the connection gives every request the token of the API call that sends it, set by
/// <see cref="RunAsync{T}"/>. Cancelling a run then aborts the request in flight instead of waiting out its time-out.
/// </summary>
internal sealed class CallCancellationHttpClient(IHttpClient inner) : IHttpClient
{
    private readonly AsyncLocal<CancellationToken> _callToken = new();

    /// <summary>Runs one API call; every request it sends is cancelled by <paramref name="cancellationToken"/>.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        // Set inside an async method: the value flows into the call and is restored when this method returns,
        // so concurrent calls never see each other's token.
        _callToken.Value = cancellationToken;
        return await call();
    }

    /// <inheritdoc />
    public async Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callToken.Value);
        return await inner.Send(request, linked.Token, preprocessResponseBody);
    }

    /// <inheritdoc />
    public void SetRequestTimeout(TimeSpan timeout) => inner.SetRequestTimeout(timeout);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
