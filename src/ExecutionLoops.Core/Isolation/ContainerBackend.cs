using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>
/// A docker or podman container for hosts where bubblewrap cannot run (Ubuntu's AppArmor rules for user
/// namespaces, macOS, Windows): the clone and scratch folder are the only mounts (the clone's <c>.git</c> and
/// the shared objects read-only), all capabilities dropped, no new privileges, a process limit, the caller's user
/// id, and no network for processes that need none. The image must hold the .NET SDK and the agent CLI.
/// </summary>
internal sealed class ContainerBackend(string engine) : ISandboxBackend
{
    /// <inheritdoc />
    public string Name => engine;

    /// <inheritdoc />
    public ProcessSpec Wrap(ProcessSpec spec, SandboxPolicy policy, IReadOnlyDictionary<string, string> environment)
    {
        var arguments = new List<string>
        {
            "run", "--rm", "-i", "--init", "--network", spec.Network ? "host" : "none",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--pids-limit", "4096",
        };
        // The caller's user: files the container writes in the clone stay the caller's to read and delete.
        if (CurrentUser() is { } user)
        {
            arguments.AddRange(["--user", user]);
        }

        foreach (var writable in policy.Writable)
        {
            arguments.AddRange(["--volume", $"{writable}:{writable}:rw"]);
        }

        foreach (var visible in policy.ReadOnlyInsideWritable.Concat(policy.ReadOnly).Where(Path.Exists))
        {
            arguments.AddRange(["--volume", $"{visible}:{visible}:ro"]);
        }

        // The image's own PATH: the host's would name folders the image does not have.
        foreach (var (name, value) in environment.Where(v => v.Key != "PATH"))
        {
            arguments.AddRange(["--env", $"{name}={value}"]);
        }

        arguments.AddRange(["--workdir", spec.WorkingDirectory, policy.Image ?? throw new InvalidOperationException("The container backend needs an image."), spec.FileName, .. spec.Arguments]);
        return spec with { FileName = engine, Arguments = arguments, Environment = new Dictionary<string, string?>(), Inherit = [] };
    }

    private static string? CurrentUser()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status"))
        {
            return null;
        }

        // "Uid:\t0\t0\t0\t0": the real id is the first.
        var ids = File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Uid:", StringComparison.Ordinal) || l.StartsWith("Gid:", StringComparison.Ordinal))
            .ToDictionary(l => l[..3], l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        return ids.TryGetValue("Uid", out var uid) && ids.TryGetValue("Gid", out var gid) ? $"{uid}:{gid}" : null;
    }
}
