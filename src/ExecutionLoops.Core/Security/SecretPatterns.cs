using System.Text.RegularExpressions;

namespace ExecutionLoops.Security;

/// <summary>
/// The shapes of credentials we recognise: cloud and forge tokens, private keys, connection strings with a
/// password or account key, JWTs. The secrets gate looks for them in a change; the masker removes them from
/// everything that leaves the process, wherever the text came from.
/// </summary>
internal static partial class SecretPatterns
{
    /// <summary>Each kind of secret with its pattern (the match is the secret itself).</summary>
    public static IReadOnlyList<(string Kind, Regex Pattern)> All { get; } =
    [
        ("GitHub token", GitHubToken()),
        ("AWS access key", AwsKey()),
        ("private key", PrivateKey()),
        ("Slack token", SlackToken()),
        ("OpenAI or Anthropic key", ApiKey()),
        ("Google API key", GoogleKey()),
        ("connection string with a secret", ConnectionString()),
        ("JSON web token", Jwt()),
    ];

    /// <summary>The kinds of secret found in <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Scan(string text) =>
        All.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Kind).ToList();

    /// <summary>The text with every match of every pattern replaced by <paramref name="replacement"/>.</summary>
    public static string MaskAll(string text, string replacement)
    {
        foreach (var (_, pattern) in All)
        {
            text = pattern.Replace(text, replacement);
        }

        return text;
    }

    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bsk-(ant-|proj-)?[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleKey();

    // A value starting with '/' is a path (the shell's PWD=/home/…), not a password.
    [GeneratedRegex(@"(?i)\b(password|pwd|accountkey|sharedaccesskey)\s*=\s*(?!/)[^;""'\s(){}]{6,}(;|$|""|')", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionString();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();
}
