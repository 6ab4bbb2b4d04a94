using System.Text;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Security;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// Where Azure Repos pull requests go and how to reach them: the collection (organization) URL, project and repository
/// from <c>review:</c> in <c>.loops/config.yml</c>, else from the Azure Pipelines variables of the running build. The token
/// comes from the environment only, and is registered with the masker as soon as it is read.
/// </summary>
/// <param name="CollectionUrl">The organization (<c>https://dev.azure.com/contoso/</c>) or Azure DevOps Server collection URL, ending in '/'.</param>
/// <param name="Project">The project name (or id).</param>
/// <param name="Repository">The repository name (or id).</param>
/// <param name="Authorization">The HTTP Authorization header value (never printed, never put in a URL).</param>
/// <param name="Remote">The git remote to push mission branches to.</param>
/// <param name="Trusted">Identities and groups whose comments are heard.</param>
internal sealed record AzureReposSettings(Uri CollectionUrl, string Project, string Repository, string Authorization, string Remote, IReadOnlyList<string> Trusted)
{
    /// <summary>The variables read, in the order they are tried (documented in the README).</summary>
    public static class Variables
    {
        /// <summary>A personal access token for use outside pipelines (Basic, empty user).</summary>
        public const string Pat = "LOOPS_AZURE_DEVOPS_TOKEN";

        /// <summary>The pipeline's <c>$(System.AccessToken)</c>, mapped into the step's environment (Bearer).</summary>
        public const string AccessToken = "SYSTEM_ACCESSTOKEN";

        /// <summary>The Azure CLI's PAT variable (Basic, empty user).</summary>
        public const string AzureCliPat = "AZURE_DEVOPS_EXT_PAT";
    }

    /// <summary>The group heard when the config names none: the project's Contributors.</summary>
    public static string ContributorsOf(string project) => $"[{project}]\\Contributors";

    /// <summary>The build's results page when running in Azure Pipelines, linked from the pull request body.</summary>
    public string? RunUrl { get; init; }

    /// <summary>Where the identities API lives: Azure DevOps Services keeps it on the vssps host; Server in the collection.</summary>
    public Uri IdentityUrl => IdentityBase(CollectionUrl);

    /// <summary>The settings without the Authorization header (a record would print it).</summary>
    public override string ToString() => $"azure-repos {CollectionUrl}{Project}/_git/{Repository} (remote {Remote})";

    /// <summary>The pull request page people open.</summary>
    public string WebUrl(int pullRequestId) =>
        $"{CollectionUrl}{Uri.EscapeDataString(Project)}/_git/{Uri.EscapeDataString(Repository)}/pullrequest/{pullRequestId}";

    /// <summary>Reads the settings; <paramref name="environment"/> replaces the process environment in tests.</summary>
    /// <exception cref="LoopsException">EL4010 when the collection, project or repository is unknown; EL4011 without a token.</exception>
    public static AzureReposSettings From(LoopsWorkspace workspace, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Env(string name) => (environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name)) is { Length: > 0 } value ? value : null;
        var options = workspace.Config.ReviewOptions;
        var collection = options.GetValueOrDefault("collection-url") ?? Env("SYSTEM_COLLECTIONURI");
        var project = options.GetValueOrDefault("project") ?? Env("SYSTEM_TEAMPROJECT");

        // A pipeline can build a GitHub or Bitbucket repository; only an Azure Repos one (provider TfsGit) is a default.
        var azureRepo = Env("BUILD_REPOSITORY_PROVIDER") is null or "TfsGit";
        var repository = options.GetValueOrDefault("repository") ?? (azureRepo ? Env("BUILD_REPOSITORY_NAME") ?? Env("BUILD_REPOSITORY_ID") : null);
        var missing = new[] { ("collection-url", "SYSTEM_COLLECTIONURI", collection), ("project", "SYSTEM_TEAMPROJECT", project), ("repository", "BUILD_REPOSITORY_NAME", repository) }.Where(m => m.Item3 is null).ToList();
        if (missing.Count > 0)
        {
            throw LoopsException.InvalidInput(
                DiagnosticCodes.AzureReposUnknown,
                $"The Azure Repos {string.Join(", ", missing.Select(m => m.Item1))} {(missing.Count == 1 ? "is" : "are")} not known.",
                $"Set 'review: {{{string.Join(", ", missing.Select(m => $"{m.Item1}: …"))}}}' in .loops/config.yml, or run in an Azure Pipelines job of an Azure Repos repository ({string.Join(", ", missing.Select(m => m.Item2))}).",
                workspace.Config.SourcePath);
        }

        if (!Uri.TryCreate(collection!.EndsWith('/') ? collection : collection + "/", UriKind.Absolute, out var collectionUrl) || collectionUrl.Scheme is not ("https" or "http"))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.AzureReposUnknown, $"'{collection}' is not an http(s) collection URL.", "Set review.collection-url to e.g. https://dev.azure.com/contoso/ or https://server/tfs/DefaultCollection/.", workspace.Config.SourcePath);
        }

        var authorization = Env(Variables.Pat) is { } pat ? Basic(pat)
            : Env(Variables.AccessToken) is { } accessToken ? Bearer(accessToken)
            : Env(Variables.AzureCliPat) is { } cliPat ? Basic(cliPat)
            : throw LoopsException.InvalidInput(DiagnosticCodes.AzureDevOpsTokenMissing, "No token for the Azure DevOps API.", $"In a pipeline map the job's token into the step: env: {{ {Variables.AccessToken}: $(System.AccessToken) }}. Elsewhere set {Variables.Pat} to a personal access token with Code (read & write) and Identity (read).");

        var trusted = options.GetValueOrDefault("trusted")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() is { Count: > 0 } named
            ? named
            : [ContributorsOf(project!)];
        var runUrl = Env("BUILD_BUILDID") is { } buildId && Env("SYSTEM_COLLECTIONURI") is { } runCollection && Env("SYSTEM_TEAMPROJECT") is { } runProject
            ? $"{runCollection.TrimEnd('/')}/{Uri.EscapeDataString(runProject)}/_build/results?buildId={Uri.EscapeDataString(buildId)}"
            : null;
        return new AzureReposSettings(collectionUrl, project!, repository!, authorization, options.GetValueOrDefault("remote") ?? "origin", trusted) { RunUrl = runUrl };
    }

    /// <summary>A personal access token: Basic with an empty user name. The token and its encoded forms are masked.</summary>
    private static string Basic(string token)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($":{token}"));
        Mask(token, encoded);
        return $"Basic {encoded}";
    }

    /// <summary>The pipeline's job access token (a JWT): Bearer.</summary>
    private static string Bearer(string token)
    {
        Mask(token, Convert.ToBase64String(Encoding.UTF8.GetBytes($":{token}")));
        return $"Bearer {token}";
    }

    private static void Mask(params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            SecretMasker.Process.Add(secret);
        }
    }

    private static Uri IdentityBase(Uri collection)
    {
        var host = collection.Host;
        var organization = collection.AbsolutePath.Trim('/').Split('/')[0];
        if (string.Equals(host, "dev.azure.com", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri($"{collection.Scheme}://vssps.dev.azure.com/{organization}/");
        }

        if (host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase) && !host.Contains(".vssps.", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri($"{collection.Scheme}://{host[..host.IndexOf('.', StringComparison.Ordinal)]}.vssps.visualstudio.com/");
        }

        return collection;
    }
}
