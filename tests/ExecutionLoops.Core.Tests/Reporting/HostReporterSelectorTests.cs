using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Core.Tests.Reporting;

public sealed class HostReporterSelectorTests
{
    private static HostEnvironment Environment(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => (string?)v.Value), TextWriter.Null);

    [Fact]
    public void Select_WhenSeveralHostsApply_PicksTheFirstRegistered()
    {
        var selector = HostReporterSelector.Empty.Add<AlphaHost>().Add<BetaHost>();

        var reporter = selector.Select(Environment(("ALPHA", "1"), ("BETA", "1")));

        reporter.ShouldBeOfType<AlphaHost>();
    }

    [Fact]
    public void Select_SkipsHostsThatDoNotApply_AndCreatesTheOneThatDoesFromTheGivenEnvironment()
    {
        var selector = HostReporterSelector.Empty.Add<AlphaHost>().Add<BetaHost>();

        var reporter = selector.Select(Environment(("BETA", "job 42")));

        reporter.ShouldBeOfType<BetaHost>().Job.ShouldBe("job 42");
    }

    [Fact]
    public void Select_WhenNoHostApplies_FallsBackToLocal()
    {
        var selector = HostReporterSelector.Empty.Add<AlphaHost>().Add<BetaHost>();

        selector.Select(Environment(("CI", "true"))).ShouldBeSameAs(LocalHostReporter.Instance);
        HostReporterSelector.Empty.Select(Environment(("ALPHA", "1"))).ShouldBeSameAs(LocalHostReporter.Instance);
    }

    [Fact]
    public void Add_LeavesTheSelectorItWasCalledOnUnchanged()
    {
        // Registrations are shared statics in hosts; adding must never change a list someone already holds.
        var alphaOnly = HostReporterSelector.Empty.Add<AlphaHost>();
        _ = alphaOnly.Add<BetaHost>();

        alphaOnly.Select(Environment(("BETA", "1"))).ShouldBeSameAs(LocalHostReporter.Instance);
    }

    /// <summary>A host reporter that records nothing; the tests only look at which one was picked.</summary>
    private abstract class SilentHost : IHostReporter
    {
        public abstract string Name { get; }

        public void Annotate(Diagnostic diagnostic)
        {
        }

        public void Mask(string secret)
        {
        }

        public IDisposable Group(string title) => LocalHostReporter.Instance.Group(title);

        public void Summary(string markdown)
        {
        }

        public void Output(string name, string value)
        {
        }
    }

    private sealed class AlphaHost : SilentHost, IDetectableHostReporter<AlphaHost>
    {
        public override string Name => "alpha";

        public static bool AppliesTo(HostEnvironment environment) => environment.Variable("ALPHA") is not null;

        public static AlphaHost Create(HostEnvironment environment) => new();
    }

    private sealed class BetaHost(string job) : SilentHost, IDetectableHostReporter<BetaHost>
    {
        public override string Name => "beta";

        public string Job => job;

        public static bool AppliesTo(HostEnvironment environment) => environment.Variable("BETA") is not null;

        public static BetaHost Create(HostEnvironment environment) => new(environment.Variable("BETA")!);
    }
}
