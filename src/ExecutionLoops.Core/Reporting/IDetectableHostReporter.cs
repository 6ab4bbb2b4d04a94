namespace ExecutionLoops.Reporting;

/// <summary>
/// A CI host's reporter that recognises its host from the environment alone. Implementing it is all a new host
/// needs besides one <see cref="HostReporterSelector.Add{T}"/> line where the host program lists its CI hosts.
/// </summary>
/// <typeparam name="TSelf">The reporter itself.</typeparam>
public interface IDetectableHostReporter<TSelf> : IHostReporter
    where TSelf : IDetectableHostReporter<TSelf>
{
    /// <summary>True when the process runs on this host (e.g. <c>GITHUB_ACTIONS=true</c>).</summary>
    static abstract bool AppliesTo(HostEnvironment environment);

    /// <summary>The reporter for this host, configured from the environment (summary and output files, …).</summary>
    static abstract TSelf Create(HostEnvironment environment);
}
