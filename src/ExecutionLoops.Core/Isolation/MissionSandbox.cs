using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// Everything that isolates one agent mission: its separate clone, the chosen backend (and why), and the process
/// runners that start the agent and, with a scratch folder of their own, the gates that run what it wrote.
/// </summary>
internal sealed class MissionSandbox(MissionClone clone, SandboxChoice choice, ProcessRunner agentProcesses, ProcessRunner gateProcesses) : IAsyncDisposable
{
    // How long the gates wait for the compiler server's first warm-up compile before building without it.
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(60);

    private GateCompilerServer? _compilerServer;

    /// <summary>The mission's clone.</summary>
    public MissionClone Clone => clone;

    /// <summary>The backend and the reason it was chosen.</summary>
    public SandboxChoice Choice => choice;

    /// <summary>Starts the agent's processes inside the sandbox (or, with sandbox: none, with the allowlist only).</summary>
    public ProcessRunner AgentProcesses => agentProcesses;

    /// <summary>Starts the gates' processes inside the sandbox, with the gates' own HOME, temp and package folder.</summary>
    public ProcessRunner GateProcesses => gateProcesses;

    /// <summary>The folder for the agent's temporary files (writable inside its sandbox).</summary>
    public string AgentTempDirectory => Path.Combine(Clone.AgentScratch, "tmp");

    /// <summary>The folder for the gates' temporary files (writable inside their sandbox, hidden from the agent).</summary>
    public string GateTempDirectory => Path.Combine(Clone.GateScratch, "tmp");

    /// <summary>One line for reports: the backend and why.</summary>
    public string Describe() => $"{Choice.Backend?.Name ?? "none"}: {Choice.Reason}";

    /// <summary>Chooses the backend for <paramref name="mode"/> (EL5013 when none can run) and the policies of the clone at <paramref name="path"/>.</summary>
    /// <param name="path">The mission's clone.</param>
    /// <param name="mode">The agent settings' <c>sandbox</c>.</param>
    /// <param name="image">The agent settings' <c>sandbox-image</c> (container backend), or null.</param>
    /// <param name="git">The user's repository, whose paths the policy hides.</param>
    /// <param name="stateDirectory">The engine's state folder, hidden too.</param>
    /// <param name="processes">Starts the sandbox.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    public static async Task<MissionSandbox> OpenAsync(string path, SandboxMode mode, string? image, GitRepository git, string stateDirectory, ProcessRunner processes, CancellationToken cancellationToken)
    {
        var clone = new MissionClone(path);
        var choice = await new SandboxSelector(processes).ChooseAsync(mode, image, cancellationToken);
        ProcessRunner Runner(string scratch) => choice.Backend is { } backend ? new SandboxedProcessRunner(processes, backend, clone.Policy(git, stateDirectory, image, scratch)) : processes;
        return new MissionSandbox(clone, choice, Runner(clone.AgentScratch), Runner(clone.GateScratch));
    }

    /// <summary>Refuses a repository whose config holds credentials (EL5012), then creates the clone at <paramref name="commit"/>.</summary>
    public async Task PrepareAsync(GitRepository git, string commit, CancellationToken cancellationToken)
    {
        await RepositoryCredentials.EnsureNoneAsync(git, cancellationToken);
        await Clone.CreateAsync(git, commit, cancellationToken);
    }

    /// <summary>
    /// Starts warming the gates' compiler server, while the agent works, where the backend lets gate processes share
    /// one (see <see cref="GateCompilerServer"/>); does nothing when one is running or the backend cannot.
    /// </summary>
    public void WarmCompilerServer()
    {
        if (_compilerServer is null && Choice.Backend is { SharesServersBetweenProcesses: true } && Directory.Exists(GateTempDirectory))
        {
            _compilerServer = GateCompilerServer.Start(GateProcesses, GateTempDirectory, Clone.Root);
        }
    }

    /// <summary>Waits (bounded) for the compiler server's warm-up, if one is starting; false when none is warm.</summary>
    public Task<bool> CompilerServerWarmAsync(CancellationToken cancellationToken) =>
        _compilerServer?.WaitWarmAsync(WarmUpLimit, cancellationToken) ?? Task.FromResult(false);

    /// <summary>Stops the gates' compiler server and everything it started; the next attempt warms a new one.</summary>
    public async Task StopCompilerServerAsync()
    {
        if (_compilerServer is { } server)
        {
            _compilerServer = null;
            await server.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopCompilerServerAsync();
}
