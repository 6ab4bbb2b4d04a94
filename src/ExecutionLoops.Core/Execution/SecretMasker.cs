namespace ExecutionLoops.Execution;

/// <summary>
/// Replaces secret values with <c>***</c> in everything we write. Secrets are the values of
/// environment variables whose names say they are secret (TOKEN, SECRET, PASSWORD, KEY, …) plus any registered explicitly.
/// </summary>
public sealed class SecretMasker
{
    private static readonly string[] SecretNameParts = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "API_KEY", "PRIVATE_KEY", "CONNECTIONSTRING", "CONNECTION_STRING", "PAT"];
    private readonly List<string> _secrets = [];

    /// <summary>A masker for the secrets in the current process environment.</summary>
    public static SecretMasker FromEnvironment()
    {
        var masker = new SecretMasker();
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = ((string)variable.Key).ToUpperInvariant();
            if (SecretNameParts.Any(part => name.Contains(part, StringComparison.Ordinal)) && variable.Value is string value)
            {
                masker.Add(value);
            }
        }

        return masker;
    }

    /// <summary>Registers a secret value (values shorter than 4 characters are ignored: masking them would garble text).</summary>
    public void Add(string secret)
    {
        if (secret.Length >= 4 && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

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
