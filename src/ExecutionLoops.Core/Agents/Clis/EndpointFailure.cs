using System.Text.RegularExpressions;

namespace ExecutionLoops.Agents.Clis;

/// <summary>What a CLI's error says about its model endpoint, read from its own words.</summary>
internal enum EndpointFailure
{
    /// <summary>Not about the endpoint (or not recognised).</summary>
    None,

    /// <summary>The endpoint could not be reached: refused, unresolvable, timed out.</summary>
    Unreachable,

    /// <summary>The endpoint refused the key.</summary>
    KeyRefused,
}

/// <summary>Classifies an error text.</summary>
internal static partial class EndpointFailures
{
    /// <summary>What <paramref name="error"/> says about the endpoint.</summary>
    public static EndpointFailure Classify(string error) =>
        Unreachable().IsMatch(error) ? EndpointFailure.Unreachable : KeyRefused().IsMatch(error) ? EndpointFailure.KeyRefused : EndpointFailure.None;

    [GeneratedRegex(@"ECONNREFUSED|connection refused|could not connect|unable to connect|failed to connect|connection failed|error sending request|fetch failed|ENOTFOUND|EAI_AGAIN|timed out|ETIMEDOUT", RegexOptions.IgnoreCase)]
    private static partial Regex Unreachable();

    [GeneratedRegex(@"\b401\b|\b403\b|unauthori[sz]ed|invalid (x-)?api[ -]?key|incorrect api key|api key not valid|authentication", RegexOptions.IgnoreCase)]
    private static partial Regex KeyRefused();
}
