using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>One way to confine a process: it turns a process into the same process run inside the sandbox.</summary>
internal interface ISandboxBackend
{
    /// <summary>The name reported in the run report (bwrap, docker, podman, none).</summary>
    string Name { get; }

    /// <summary>
    /// True when a long-lived process of the sandbox can run the gate commands one after another (see
    /// <see cref="GateHost"/>), so they share one namespace with warm build servers; false where every process is a
    /// sandbox of its own (a container per process).
    /// </summary>
    bool HostsGates => false;

    /// <summary>
    /// The process that runs <paramref name="spec"/> inside the sandbox, with exactly <paramref name="environment"/>
    /// as its environment.
    /// </summary>
    ProcessSpec Wrap(ProcessSpec spec, SandboxPolicy policy, IReadOnlyDictionary<string, string> environment);
}
