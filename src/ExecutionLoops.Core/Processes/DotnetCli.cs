namespace ExecutionLoops.Processes;

/// <summary>Builds <c>dotnet</c> invocations with an environment that keeps their output stable and parseable.</summary>
internal static class DotnetCli
{
    private static readonly IReadOnlyDictionary<string, string?> Environment = new Dictionary<string, string?>
    {
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["TERM"] = "dumb",
    };

    /// <summary>A <c>dotnet</c> command in <paramref name="workingDirectory"/>.</summary>
    public static ProcessSpec Command(string workingDirectory, params string[] arguments) =>
        new("dotnet", arguments, workingDirectory) { Environment = Environment, Inherit = NuGetCredentials };

    /// <summary>Restore reads private feeds' credentials from these (outside a sandbox only: a sandbox drops secret names).</summary>
    private static readonly string[] NuGetCredentials = ["NuGetPackageSourceCredentials_*", "VSS_NUGET_EXTERNAL_FEED_ENDPOINTS"];
}
