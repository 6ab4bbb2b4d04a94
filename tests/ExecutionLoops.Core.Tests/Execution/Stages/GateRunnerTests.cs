using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class GateRunnerTests
{
    private static readonly LoopsRegistry Default = LoopsRegistry.CreateDefault(new ProcessRunner(), TimeProvider.System);

    [Fact]
    public void Specs_OnAgentWrittenCode_AddTheGatesThatAlwaysRunOnIt()
    {
        var brief = Brief(GateSpec.Of("build"));

        GateRunner.Specs(brief, LoopsConfig.Default, Default, agentCode: true).Select(s => s.Name).ShouldBe(["build", "secrets"]);
        GateRunner.Specs(brief, LoopsConfig.Default, Default, agentCode: false).Select(s => s.Name).ShouldBe(["build"]);
    }

    [Fact]
    public void Specs_WhenTheBriefListsSuchAGate_KeepTheBriefsSpec()
    {
        var advisory = new GateSpec("secrets", false, new Dictionary<string, string>());

        GateRunner.Specs(Brief(advisory), LoopsConfig.Default, Default, agentCode: true).ShouldBe([advisory]);
    }

    [Fact]
    public async Task Evaluate_WhenAGateThrowsOrIsUnknown_ReportsFailedGates_TimedByTheRunsClock()
    {
        using var fixture = await StageFixture.CreateAsync(clock => new LoopsRegistry([], [new ThrowingGate(clock)], new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>()));
        var mission = fixture.Mission(gates: [GateSpec.Of("throws"), GateSpec.Of("nowhere")]);

        var results = await new GateRunner(mission).EvaluateAsync([], CancellationToken.None);

        results.Select(r => (r.Name, r.Status, r.Diagnostics.Single().Code)).ShouldBe([("throws", GateStatus.Failed, DiagnosticCodes.GateCrashed), ("nowhere", GateStatus.Failed, DiagnosticCodes.GateCrashed)]);
        results[0].Duration.ShouldBe(TimeSpan.FromSeconds(5));
        results[0].Summary.ShouldBe("Gate 'throws' crashed: the gate broke");
        fixture.Log.ShouldContain(line => line.StartsWith("gate throws crashed:", StringComparison.Ordinal));
    }

    private static MissionBrief Brief(params GateSpec[] gates) => new() { Id = "m", Kind = "agent", Title = "m", SourcePath = "/m.md", RelativePath = "m.md", Gates = gates };

    /// <summary>Takes five seconds of the run's clock, then throws.</summary>
    private sealed class ThrowingGate(FakeTimeProvider clock) : IGate
    {
        public string Name => "throws";

        public string Summary => "Throws after five seconds.";

        public Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException("the gate broke");
        }
    }
}
