namespace ExecutionLoops.Execution;

/// <summary>
/// Replaces secret values with <c>***</c> in everything we write. Secrets are the values of
/// environment variables whose names say they are secret (TOKEN, SECRET, PASSWORD, KEY, …) plus any registered explicitly.
/// </summary>
public sealed class SecretMasker
{
    // Whole words of the variable name (split at '_'), so PATH or MONKEY are not taken for PAT or KEY.
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal) { "TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "KEY", "PAT", "CONNECTIONSTRING", "CREDENTIALS" };
    private readonly List<string> _secrets = [];

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
        name.ToUpperInvariant().Split('_', StringSplitOptions.RemoveEmptyEntries).Any(word => SecretWords.Contains(word) || word.EndsWith("TOKEN", StringComparison.Ordinal) || word.EndsWith("SECRET", StringComparison.Ordinal));

    /// <summary>Registers a secret value (values shorter than 4 characters are ignored: masking them would garble text).</summary>
    public void Add(string secret)
    {
        if (secret.Length >= 4 && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>The registered secrets (for hosts that mask them in their own logs).</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>The text with every registered secret replaced by <c>***</c>.</summary>
    public string Mask(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
