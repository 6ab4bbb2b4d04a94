using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// Finds credentials in the repository's own git config (what a checkout step leaves behind): an
/// <c>http.*.extraheader</c>, a credential helper that carries or stores a secret, a remote URL with a password.
/// Agent missions refuse to run while one is there (EL5012): the agent must never be one file read away from a token.
/// </summary>
internal static class RepositoryCredentials
{
    /// <summary>The config keys that hold credentials (values never returned); empty when clean.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(GitRepository git, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(["config", "--local", "--includes", "--null", "--list"], null, cancellationToken);
        var found = new List<string>();
        foreach (var entry in result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('\n', 2);
            var key = parts[0].ToLowerInvariant();
            var value = parts.Length > 1 ? parts[1] : "";
            if (IsCredential(key, value))
            {
                found.Add(parts[0]);
            }
        }

        return found;
    }

    /// <summary>Throws EL5012 naming the keys when the repository config holds credentials.</summary>
    public static async Task EnsureNoneAsync(GitRepository git, CancellationToken cancellationToken)
    {
        var found = await FindAsync(git, cancellationToken);
        if (found.Count > 0)
        {
            throw LoopsException.InvalidInput(
                DiagnosticCodes.RepositoryHoldsCredentials,
                $"The repository's git config holds credentials ({string.Join(", ", found.Distinct())}); agent missions do not run where a token is one file read away.",
                "In GitHub Actions check out with 'persist-credentials: false' (in Azure Pipelines 'persistCredentials: false'); elsewhere remove them with 'git config --local --unset-all <key>'. Publishing uses its own credentials.");
        }
    }

    private static bool IsCredential(string key, string value) =>
        (key.StartsWith("http.", StringComparison.Ordinal) && key.EndsWith(".extraheader", StringComparison.Ordinal))
        || (key.StartsWith("credential", StringComparison.Ordinal) && key.EndsWith(".helper", StringComparison.Ordinal) && (value.Contains("password", StringComparison.OrdinalIgnoreCase) || value.Contains("token", StringComparison.OrdinalIgnoreCase) || value.StartsWith("store", StringComparison.Ordinal)))
        || (key.StartsWith("remote.", StringComparison.Ordinal) && (key.EndsWith(".url", StringComparison.Ordinal) || key.EndsWith(".pushurl", StringComparison.Ordinal)) && CarriesSecret(value))
        || (key.StartsWith("url.", StringComparison.Ordinal) && key.EndsWith(".insteadof", StringComparison.Ordinal) && CarriesSecret(key[4..^10]));

    /// <summary>A URL with a password, or with a token as its user name.</summary>
    private static bool CarriesSecret(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
        && (uri.UserInfo.Contains(':', StringComparison.Ordinal) || Security.SecretPatterns.Scan(uri.UserInfo).Count > 0);
}
