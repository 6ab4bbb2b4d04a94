namespace ExecutionLoops.Isolation;

/// <summary>How agent-written code is confined (<c>agent.sandbox</c>).</summary>
public enum SandboxMode
{
    /// <summary>bubblewrap where it can run, otherwise a container engine; never nothing.</summary>
    Auto,

    /// <summary>bubblewrap (<c>bwrap</c>): Linux namespaces, no daemon.</summary>
    Bubblewrap,

    /// <summary>A docker or podman container of <c>agent.sandbox-image</c>.</summary>
    Container,

    /// <summary>No OS sandbox: an explicit, logged opt-out that <c>loops lint</c> warns about.</summary>
    None,
}
