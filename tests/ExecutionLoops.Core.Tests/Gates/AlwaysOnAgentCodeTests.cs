using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;

namespace ExecutionLoops.Core.Tests.Gates;

public sealed class AlwaysOnAgentCodeTests
{
    [Fact]
    public void DefaultRegistry_ForcesOnlyTheSecretsGateOnAgentCode()
    {
        var registry = LoopsRegistry.CreateDefault(new ProcessRunner(), TimeProvider.System);

        registry.GatesAlwaysOnAgentCode.Select(g => g.Name).ShouldBe(["secrets"]);
    }

    [Fact]
    public void Registry_ListsEveryGateThatDeclaresTheTrait_InRegistrationOrder()
    {
        var registry = new LoopsRegistry([], [new ToyGate("plain", false), new ToyGate("licence", true), new SecretsGate()], new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>());

        registry.GatesAlwaysOnAgentCode.Select(g => g.Name).ShouldBe(["licence", "secrets"]);
    }

    private sealed class ToyGate(string name, bool alwaysOnAgentCode) : IGate
    {
        public string Name => name;

        public string Summary => $"The toy gate {name}.";

        public bool AlwaysOnAgentCode => alwaysOnAgentCode;

        public Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken) =>
            Task.FromResult(new GateResult(name, GateStatus.Passed, spec.Required, TimeSpan.Zero, "ok", []));
    }
}
