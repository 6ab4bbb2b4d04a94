using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>
/// bubblewrap: the file system is mounted read-only, hidden folders become empty tmpfs, only the clone and the
/// scratch folder are writable, the clone's <c>.git</c> stays read-only (no hooks or config can be planted); new
/// PID, IPC and UTS namespaces (no <c>/proc</c> of other processes, every process dies with the sandbox), a new
/// session (no terminal injection), a cleared environment, and no network for processes that need none.
/// </summary>
internal sealed class BubblewrapBackend : ISandboxBackend
{
    /// <inheritdoc />
    public string Name => "bwrap";

    /// <inheritdoc />
    public bool HostsGates => true;

    /// <inheritdoc />
    public ProcessSpec Wrap(ProcessSpec spec, SandboxPolicy policy, IReadOnlyDictionary<string, string> environment)
    {
        var arguments = new List<string> { "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc" };
        if (!spec.Network)
        {
            arguments.Add("--unshare-net");
        }

        // Order matters: private folders first, then hide, then show the read-only parts inside hidden folders,
        // then the writable ones, then lock .git, then make the hiding folders read-only too (an empty tmpfs would
        // otherwise take writes that look like they worked).
        var hiddenFolders = policy.Hidden.Where(Directory.Exists).OrderBy(p => p.Length).ToList();
        foreach (var (hostPath, privatePath) in policy.PrivateFolders.Where(f => Directory.Exists(f.Key)))
        {
            arguments.AddRange(["--bind", privatePath, hostPath]);
        }

        foreach (var hidden in hiddenFolders)
        {
            arguments.AddRange(["--tmpfs", hidden]);
        }

        foreach (var visible in policy.ReadOnly.Where(Path.Exists))
        {
            arguments.AddRange(["--ro-bind", visible, visible]);
        }

        foreach (var writable in policy.Writable)
        {
            arguments.AddRange(["--bind", writable, writable]);
        }

        foreach (var locked in policy.ReadOnlyInsideWritable.Where(Path.Exists))
        {
            arguments.AddRange(["--ro-bind", locked, locked]);
        }

        foreach (var hidden in hiddenFolders)
        {
            arguments.AddRange(["--remount-ro", hidden]);
        }

        arguments.Add("--clearenv");
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(["--chdir", spec.WorkingDirectory, "--", spec.FileName, .. spec.Arguments]);
        return spec with { FileName = "bwrap", Arguments = arguments, Environment = new Dictionary<string, string?>(), Inherit = [] };
    }
}
