using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// Everything that isolates one agent mission: its separate clone, the chosen backend (and why), and the process
/// runner that starts the agent and its gates inside the sandbox.
/// </summary>
internal sealed class MissionSandbox(MissionClone clone, SandboxChoice choice, ProcessRunner processes)
{
    /// <summary>The mission's clone.</summary>
    public MissionClone Clone => clone;

    /// <summary>The backend and the reason it was chosen.</summary>
    public SandboxChoice Choice => choice;

    /// <summary>Starts processes inside the sandbox (or, with sandbox: none, with the allowlist only).</summary>
    public ProcessRunner Processes => processes;

    /// <summary>One line for reports: the backend and why.</summary>
    public string Describe() => $"{Choice.Backend?.Name ?? "none"}: {Choice.Reason}";

    /// <summary>Chooses the backend for <paramref name="mode"/> (EL5013 when none can run) and the policy of the clone at <paramref name="path"/>.</summary>
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
        var runner = choice.Backend is { } backend ? new SandboxedProcessRunner(processes, backend, clone.Policy(git, stateDirectory, image)) : processes;
        return new MissionSandbox(clone, choice, runner);
    }

    /// <summary>Refuses a repository whose config holds credentials (EL5012), then creates the clone at <paramref name="commit"/>.</summary>
    public async Task PrepareAsync(GitRepository git, string commit, CancellationToken cancellationToken)
    {
        await RepositoryCredentials.EnsureNoneAsync(git, cancellationToken);
        await Clone.CreateAsync(git, commit, cancellationToken);
    }

    /// <summary>The folder for temporary files of sandboxed processes (writable inside the sandbox).</summary>
    public string TempDirectory => Path.Combine(Clone.Scratch, "tmp");
}
