namespace ExecutionLoops.Reporting;

/// <summary>
/// The one place the CI host is picked: the first registered host that applies to the environment, else the local
/// one. The local host is never in the list, so it can only come last.
/// </summary>
public sealed class HostReporterSelector
{
    private readonly IReadOnlyList<Func<HostEnvironment, IHostReporter?>> _hosts;

    private HostReporterSelector(IReadOnlyList<Func<HostEnvironment, IHostReporter?>> hosts) => _hosts = hosts;

    /// <summary>No CI hosts: everything runs as local.</summary>
    public static HostReporterSelector Empty { get; } = new([]);

    /// <summary>A selector that also tries <typeparamref name="T"/>, after the hosts already in this one.</summary>
    public HostReporterSelector Add<T>()
        where T : IDetectableHostReporter<T> =>
        new([.. _hosts, environment => T.AppliesTo(environment) ? T.Create(environment) : null]);

    /// <summary>The reporter for the environment: the first host that applies, else <see cref="LocalHostReporter"/>.</summary>
    public IHostReporter Select(HostEnvironment environment)
    {
        foreach (var host in _hosts)
        {
            if (host(environment) is { } reporter)
            {
                return reporter;
            }
        }

        return LocalHostReporter.Instance;
    }
}
