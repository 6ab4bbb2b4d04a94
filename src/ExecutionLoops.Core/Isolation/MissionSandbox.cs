using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// Everything that isolates one agent mission: its separate clone, the chosen backend (and why), the process runners
/// that start the agent and, with a scratch folder of their own, the gates that run what it wrote, and the gates'
/// hosts (see <see cref="GateHost"/>) where the backend has them.
/// </summary>
internal sealed class MissionSandbox : IAsyncDisposable
{
    // By network: the build's restore needs it, tests must not have it.
    private readonly IReadOnlyDictionary<bool, HostLauncher> _hostLaunchers;
    private readonly Dictionary<bool, GateHost> _gateHosts = [];

    private MissionSandbox(MissionClone clone, SandboxChoice choice, ProcessRunner agentProcesses, ProcessRunner gateProcesses, IReadOnlyDictionary<bool, HostLauncher> hostLaunchers)
    {
        Clone = clone;
        Choice = choice;
        AgentProcesses = agentProcesses;
        _hostLaunchers = hostLaunchers;
        GateProcesses = gateProcesses is SandboxedProcessRunner sandboxed && hostLaunchers.Count > 0 ? sandboxed.Through(RunningHost) : gateProcesses;
    }

    /// <summary>The mission's clone.</summary>
    public MissionClone Clone { get; }

    /// <summary>The backend and the reason it was chosen.</summary>
    public SandboxChoice Choice { get; }

    /// <summary>Starts the agent's processes inside the sandbox (or, with sandbox: none, with the allowlist only).</summary>
    public ProcessRunner AgentProcesses { get; }

    /// <summary>Starts the gates' processes inside the sandbox (in a running gate host when there is one), with the gates' own HOME, temp and package folder.</summary>
    public ProcessRunner GateProcesses { get; }

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
        if (choice.Backend is not { } backend)
        {
            return new MissionSandbox(clone, choice, processes, processes, new Dictionary<bool, HostLauncher>());
        }

        var gates = clone.Policy(git, stateDirectory, image, clone.GateScratch);
        var hostLaunchers = new Dictionary<bool, HostLauncher>();
        if (backend.HostsGates)
        {
            foreach (var network in new[] { true, false })
            {
                // Each host has a /tmp of its own: MSBuild finds its nodes by process id and two PID namespaces use the
                // same numbers, so through one /tmp the tests could reach a build node of the host with the network.
                var temp = Path.Combine(clone.GateScratch, network ? "tmp-online" : "tmp-offline");
                var policy = gates with { PrivateFolders = new Dictionary<string, string> { ["/tmp"] = temp } };
                hostLaunchers[network] = new HostLauncher(new SandboxedProcessRunner(processes, backend, policy), temp);
            }
        }

        var agent = new SandboxedProcessRunner(processes, backend, clone.Policy(git, stateDirectory, image, clone.AgentScratch));
        return new MissionSandbox(clone, choice, agent, new SandboxedProcessRunner(processes, backend, gates), hostLaunchers);
    }

    /// <summary>Refuses a repository whose config holds credentials (EL5012), then creates the clone at <paramref name="commit"/>.</summary>
    public async Task PrepareAsync(GitRepository git, string commit, CancellationToken cancellationToken)
    {
        await RepositoryCredentials.EnsureNoneAsync(git, cancellationToken);
        await Clone.CreateAsync(git, commit, cancellationToken);
    }

    /// <summary>
    /// Starts the gates' hosts, one with the network and one without, which warm the build servers while the agent
    /// works; does nothing when they run or the backend has none.
    /// </summary>
    public void StartGateHosts()
    {
        if (_gateHosts.Count == 0 && Directory.Exists(Clone.GateScratch))
        {
            foreach (var network in _hostLaunchers.Keys)
            {
                _gateHosts[network] = StartHost(network, warmUp: true);
            }
        }
    }

    /// <summary>
    /// Readies the gates' hosts for the gates and says whether they are warm (null when there are none). A host still
    /// warming up is replaced by a fresh one without a warm-up: the warm-up pays off while an agent works for minutes,
    /// but after an agent that was done in seconds, waiting for it held the gates up longer than cold build servers cost.
    /// </summary>
    public async Task<bool?> ReadyGateHostsAsync()
    {
        if (_gateHosts.Count == 0)
        {
            return null;
        }

        var warm = true;
        foreach (var (network, host) in _gateHosts.ToList())
        {
            if (!host.IsWarm || !host.IsRunning)
            {
                warm = false;
                await host.DisposeAsync();
                _gateHosts[network] = StartHost(network, warmUp: false);
            }
        }

        return warm;
    }

    /// <summary>Stops the gates' hosts and everything they started; the next attempt starts new ones.</summary>
    public async Task StopGateHostsAsync()
    {
        var hosts = _gateHosts.Values.ToList();
        _gateHosts.Clear();
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopGateHostsAsync();

    /// <summary>
    /// The running host of <paramref name="network"/>'s mode, after stopping the other one if that ran commands: a host
    /// whose command is done is not idle, its fresh compiler server and build nodes recompile their hot code in the
    /// background (tiered JIT) for many seconds after a build, which on a small machine took the CPU from the test
    /// gate that ran next. The other host is not started again; later commands of its mode run in sandboxes of their own.
    /// </summary>
    private async Task<GateHost?> RunningHost(bool network, CancellationToken cancellationToken)
    {
        if (_gateHosts.GetValueOrDefault(network) is not { IsRunning: true } host)
        {
            return null;
        }

        if (_gateHosts.GetValueOrDefault(!network) is { HasRun: true } other)
        {
            _gateHosts.Remove(!network);
            await other.DisposeAsync();
        }

        return host;
    }

    // Each host starts on an empty /tmp: what an earlier host left there (its request FIFO, the build servers' pipes)
    // belongs to processes of a namespace that is gone.
    private GateHost StartHost(bool network, bool warmUp)
    {
        var (launcher, temp) = _hostLaunchers[network];
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        return GateHost.Start(launcher, temp, Clone.Root, network, warmUp);
    }

    /// <summary>Starts a gate host's process with the gates' policy, <paramref name="Temp"/> (a host path) as its <c>/tmp</c>.</summary>
    private sealed record HostLauncher(ProcessRunner Launcher, string Temp);
}
