using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// The separate clone an agent mission works in, instead of a worktree of the user's repository: its own
/// <c>.git</c> (objects borrowed read-only through <c>alternates</c>), no hooks, no remotes, no credentials.
/// Nothing done in it can reach the user's repository, config or hooks; the engine fetches the result commit back.
/// Beside it, two scratch folders are the sandboxed processes' HOME, temp and NuGet folders: one for the
/// agent, one for the gates. The agent never sees the gates' one, so nothing it leaves in a package cache, a temp
/// file or a tool's home can stand in for what the gates build and run.
/// </summary>
internal sealed class MissionClone(string path)
{
    /// <summary>The clone's working tree.</summary>
    public string Root { get; } = Path.GetFullPath(path);

    /// <summary>The clone's own git directory (read-only inside the sandbox).</summary>
    public string GitDirectory => Path.Combine(Root, ".git");

    /// <summary>HOME, temp and the NuGet download folder of the agent's processes.</summary>
    public string AgentScratch => Root + ".sandbox";

    /// <summary>HOME, temp and the NuGet download folder of the gates' processes (hidden from the agent).</summary>
    public string GateScratch => Root + ".gates";

    /// <summary>Creates the clone at <paramref name="commit"/> (replacing a leftover one) and its scratch folders.</summary>
    public async Task CreateAsync(GitRepository git, string commit, CancellationToken cancellationToken)
    {
        await RemoveAsync(git, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Root)!);

        // --shared: objects are read through alternates (read-only in the sandbox), not copied or hard-linked;
        // an empty --template: no sample hooks, nothing from the user's template folder.
        await git.RunCheckedAsync(["clone", "--quiet", "--shared", "--no-checkout", "--template=", git.Root, Root], null, cancellationToken);
        await git.RunCheckedAsync(["remote", "remove", "origin"], Root, cancellationToken);
        await git.RunCheckedAsync(["checkout", "--quiet", "--detach", commit], Root, cancellationToken);
        foreach (var scratch in new[] { AgentScratch, GateScratch })
        {
            foreach (var folder in new[] { "home", "tmp", "nuget-packages", "nuget-http-cache" })
            {
                Directory.CreateDirectory(Path.Combine(scratch, folder));
            }

            NuGetSourceIndexes.Seed(NuGetSourceIndexes.UserCache, Path.Combine(scratch, "nuget-http-cache"));
        }
    }

    /// <summary>Deletes the clone and its scratch folders.</summary>
    public async Task RemoveAsync(GitRepository git, CancellationToken cancellationToken)
    {
        await git.RemoveWorktreeAsync(Root, cancellationToken);
        foreach (var scratch in new[] { AgentScratch, GateScratch }.Where(Directory.Exists))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// What a sandbox of this mission may see: the clone and <paramref name="scratch"/> (<see cref="AgentScratch"/> or
    /// <see cref="GateScratch"/>) writable, the clone's .git read-only; the user's repository and git directory, HOME,
    /// the other missions' clones, the other scratch folder and the state folder hidden; the shared objects, the NuGet
    /// package folder and tools installed under HOME readable.
    /// </summary>
    public SandboxPolicy Policy(GitRepository git, string stateDirectory, string? image, string scratch)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured : Path.Combine(home, ".nuget", "packages");
        var readOnly = new List<string> { Path.Combine(git.CommonDirectory, "objects"), packages, Path.Combine(home, ".dotnet") };

        // Tools installed under HOME (dotnet tools, npm or pip prefixes) stay runnable: show their prefix, read-only.
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (home.Length > 1 && folder.StartsWith(home + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                readOnly.Add(Path.GetFileName(folder) == "bin" ? Path.GetDirectoryName(folder)! : folder);
            }
        }

        var sandboxHome = Path.Combine(scratch, "home");

        // The sandbox has a /tmp of its own (the scratch folder's tmp): MSBuild puts its node pipes and .NET its
        // named mutexes in /tmp whatever TMPDIR says; the host's temp files stay out of sight.
        var temp = "/tmp";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = sandboxHome,
            ["DOTNET_CLI_HOME"] = sandboxHome,
            ["TMPDIR"] = temp,
            ["TMP"] = temp,
            ["TEMP"] = temp,
            ["NUGET_PACKAGES"] = Path.Combine(scratch, "nuget-packages"),
            ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(scratch, "nuget-http-cache"),

            // The user's package folder is read, never written: a poisoned package cannot reach the user's builds.
            ["RestoreAdditionalProjectFallbackFolders"] = packages,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",

            // Every sandboxed process is a fresh namespace: the first-run setup would be paid each time.
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
            ["LOOPS_SANDBOX"] = "1",
        };

        var hidden = new[] { git.Root, git.CommonDirectory, home, Path.GetDirectoryName(Root)!, stateDirectory }
            .Where(p => p.Length > 1)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p.Length)
            .ToList();
        return new SandboxPolicy([Root, scratch], hidden, readOnly.Distinct(StringComparer.Ordinal).ToList(), [GitDirectory], environment)
        {
            Image = image,
            PrivateFolders = OperatingSystem.IsWindows() ? new Dictionary<string, string>() : new Dictionary<string, string> { ["/tmp"] = Path.Combine(scratch, "tmp") },
        };
    }
}
