using ExecutionLoops.Processes;
using ExecutionLoops.Security;

namespace ExecutionLoops.Isolation;

/// <summary>
/// Starts every process inside the mission's sandbox: the agent, and the restore, build, test and command gates
/// that run what it wrote. The environment is the allowlist without any secret-named variable, the policy's own
/// variables, and the values the spec sets explicitly (an agent's model key, named by the brief). Given a way to find a
/// running <see cref="GateHost"/>, it hands the process to the host of its network mode instead of starting a sandbox.
/// </summary>
internal sealed class SandboxedProcessRunner(ProcessRunner inner, ISandboxBackend backend, SandboxPolicy policy, Func<bool, CancellationToken, Task<GateHost?>>? hostFor = null) : ProcessRunner
{
    /// <summary>The backend in use.</summary>
    public ISandboxBackend Backend => backend;

    /// <inheritdoc />
    public override async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var environment = ChildEnvironment.Allowed(spec.Inherit.Where(name => !SecretMasker.IsSecretName(name.TrimEnd('*'))).ToList());
        foreach (var (name, value) in policy.Environment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }

        // A program the sandbox cannot find would fail inside it with the sandbox's own words; say it as a missing tool.
        if (!OnPath(spec.FileName, environment.GetValueOrDefault("PATH")))
        {
            throw new ToolNotFoundException(spec.FileName, new FileNotFoundException(spec.FileName));
        }

        if (spec.StandardInput is null && hostFor is not null && await hostFor(spec.Network, cancellationToken) is { } host)
        {
            return await host.RunAsync(spec, environment, cancellationToken);
        }

        return await RunOnOwnThreadAsync(backend.Wrap(spec, policy, environment), cancellationToken);
    }

    /// <summary>The same runner, handing processes to the running host <paramref name="running"/> finds for their network mode.</summary>
    public SandboxedProcessRunner Through(Func<bool, CancellationToken, Task<GateHost?>> running) => new(inner, backend, policy, running);

    /// <summary>
    /// Starts the sandbox from a thread of its own that lives as long as it does. bubblewrap's --die-with-parent is
    /// the kernel's parent-death signal, which follows the thread that started the process, not the process: started
    /// from a thread-pool thread, the sandbox was killed (exit 137) whenever the pool retired that thread mid-build.
    /// </summary>
    private Task<ProcessResult> RunOnOwnThreadAsync(ProcessSpec wrapped, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<ProcessResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(inner.RunAsync(wrapped, cancellationToken).GetAwaiter().GetResult());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "loops sandbox",
        };
        thread.Start();
        return result.Task;
    }

    // The container's PATH is the image's: only the engine can tell, at run time.
    private bool OnPath(string program, string? path) =>
        backend is ContainerBackend
        || (Path.IsPathRooted(program) ? File.Exists(program) : (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, program))));
}
