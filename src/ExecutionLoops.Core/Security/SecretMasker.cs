namespace ExecutionLoops.Security;

/// <summary>
/// The one masker for everything that leaves the process (console, journal, logs, reports, review bodies, job
/// summaries, step outputs): it replaces the values of secret environment variables (names with TOKEN, SECRET,
/// PASSWORD, KEY, …), any value registered explicitly, and anything shaped like a credential
/// (<see cref="SecretPatterns"/>) with <c>***</c>, wherever the text came from.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret becomes.</summary>
    public const string Replacement = "***";

    // Whole words of the variable name (split at '_'), so PATH or MONKEY are not taken for PAT or KEY.
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal) { "TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "KEY", "PAT", "CONNECTIONSTRING", "CREDENTIALS", "AUTH", "ACCESSTOKEN", "EXTRAHEADER", "WEBHOOK" };
    private static readonly Lazy<SecretMasker> Shared = new(FromEnvironment);
    private readonly List<string> _secrets = [];
    private readonly Lock _gate = new();

    /// <summary>The process-wide masker: the secrets of this process's environment plus every value registered since.</summary>
    public static SecretMasker Process => Shared.Value;

    /// <summary>A masker for the secrets in the current process environment.</summary>
    public static SecretMasker FromEnvironment()
    {
        var masker = new SecretMasker();
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (IsSecretName((string)variable.Key) && variable.Value is string value)
            {
                masker.Add(value);
            }
        }

        return masker;
    }

    /// <summary>True when an environment variable's name says it holds a secret (GITHUB_TOKEN, OPENAI_API_KEY, DB_PASSWORD, …).</summary>
    public static bool IsSecretName(string name) =>
        name.ToUpperInvariant().Split('_', StringSplitOptions.RemoveEmptyEntries).Any(word => SecretWords.Contains(word) || word.EndsWith("TOKEN", StringComparison.Ordinal) || word.EndsWith("SECRET", StringComparison.Ordinal) || word.EndsWith("PASSWORD", StringComparison.Ordinal) || word.EndsWith("WEBHOOK", StringComparison.Ordinal));

    /// <summary>Registers a secret value (values shorter than 4 characters are ignored: masking them would garble text).</summary>
    public void Add(string secret)
    {
        secret = secret.Trim();
        lock (_gate)
        {
            if (secret.Length >= 4 && !_secrets.Contains(secret))
            {
                _secrets.Add(secret);
                _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
            }
        }
    }

    /// <summary>The registered secrets (for hosts that mask them in their own logs).</summary>
    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_gate)
            {
                return [.. _secrets];
            }
        }
    }

    /// <summary>The text with every registered secret and every credential-shaped value replaced by <c>***</c>.</summary>
    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in Secrets)
        {
            text = text.Replace(secret, Replacement, StringComparison.Ordinal);
        }

        return SecretPatterns.MaskAll(text, Replacement);
    }

    /// <summary>Masks a nullable text.</summary>
    public string? MaskOrNull(string? text) => text is null ? null : Mask(text);
}
