using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>One way to confine a process: it turns a process into the same process run inside the sandbox.</summary>
internal interface ISandboxBackend
{
    /// <summary>The name reported in the run report (bwrap, docker, podman, none).</summary>
    string Name { get; }

    /// <summary>
    /// True when processes started one after another under the same policy can reach a server one of them left
    /// running (a shared private <c>/tmp</c>, a long-lived namespace): then the gates share a warm compiler server.
    /// </summary>
    bool SharesServersBetweenProcesses => false;

    /// <summary>
    /// The process that runs <paramref name="spec"/> inside the sandbox, with exactly <paramref name="environment"/>
    /// as its environment.
    /// </summary>
    ProcessSpec Wrap(ProcessSpec spec, SandboxPolicy policy, IReadOnlyDictionary<string, string> environment);
}
