using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>The backend a mission runs in, and why it was chosen (the run report says both).</summary>
/// <param name="Backend">The backend, or null for <c>sandbox: none</c>.</param>
/// <param name="Reason">Why this one.</param>
internal sealed record SandboxChoice(ISandboxBackend? Backend, string Reason);

/// <summary>
/// Picks the sandbox backend for <c>agent.sandbox</c>: <c>auto</c> takes bubblewrap when it can create its
/// namespaces here, else a running docker or podman when an image is configured; nothing available is EL5013,
/// never a silent run without a sandbox. Probes are made once per process.
/// </summary>
internal sealed class SandboxSelector(ProcessRunner processes)
{
    private static readonly Dictionary<string, (bool Works, string Detail)> Probes = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim ProbeGate = new(1, 1);

    /// <summary>Chooses, or throws EL5013 with what was tried.</summary>
    public async Task<SandboxChoice> ChooseAsync(SandboxMode mode, string? image, CancellationToken cancellationToken)
    {
        if (mode == SandboxMode.None)
        {
            return new SandboxChoice(null, "agent.sandbox is none: agent-written code ran without an OS sandbox (explicit opt-out)");
        }

        var tried = new List<string>();
        if (mode is SandboxMode.Auto or SandboxMode.Bubblewrap)
        {
            var (works, detail) = await ProbeAsync("bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "--unshare-net", "--", "true"], cancellationToken);
            if (works)
            {
                return new SandboxChoice(new BubblewrapBackend(), mode == SandboxMode.Auto ? "bubblewrap can create its namespaces on this host" : "agent.sandbox is bwrap");
            }

            tried.Add($"bwrap: {detail}");
        }

        if (mode is SandboxMode.Auto or SandboxMode.Container)
        {
            foreach (var engine in new[] { "docker", "podman" })
            {
                var (works, detail) = await ProbeAsync(engine, ["info", "--format", "{{.ServerVersion}}"], cancellationToken);
                if (works && image is not null)
                {
                    return new SandboxChoice(new ContainerBackend(engine), $"{(tried.Count > 0 ? tried[0] + "; " : "")}{engine} runs image {image}");
                }

                tried.Add(works ? $"{engine}: runs, but agent.sandbox-image is not set" : $"{engine}: {detail}");
            }
        }

        throw LoopsException.Infrastructure(
            DiagnosticCodes.SandboxUnavailable,
            $"No sandbox backend can run agent-written code here ({string.Join("; ", tried)}); the agent mission did not start.",
            "Install bubblewrap (on Ubuntu 24.04 also allow unprivileged user namespaces: sysctl kernel.apparmor_restrict_unprivileged_userns=0), or run docker/podman with agent.sandbox-image set, or opt out with agent.sandbox: none.");
    }

    private async Task<(bool Works, string Detail)> ProbeAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await ProbeGate.WaitAsync(cancellationToken);
        try
        {
            if (Probes.TryGetValue(program, out var known))
            {
                return known;
            }

            (bool, string) outcome;
            try
            {
                var result = await processes.RunAsync(new ProcessSpec(program, arguments, Path.GetTempPath()) { Timeout = TimeSpan.FromSeconds(20) }, cancellationToken);
                outcome = result.Succeeded ? (true, "works") : (false, TextTail.Of(result.CombinedOutput.Trim(), 1) is { Length: > 0 } why ? why : $"exit {result.ExitCode}");
            }
            catch (ToolNotFoundException)
            {
                outcome = (false, "not installed");
            }

            Probes[program] = outcome;
            return outcome;
        }
        finally
        {
            ProbeGate.Release();
        }
    }
}
