using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Evaluates a mission's gates on its worktree: the brief's (or the config's defaults), plus, on agent-written code,
/// every registered gate that declares <see cref="IGate.AlwaysOnAgentCode"/>. A gate that throws is a failed gate.
/// </summary>
internal sealed class GateRunner(MissionContext mission)
{
    /// <summary>The gates a mission runs, in order.</summary>
    public static IReadOnlyList<GateSpec> Specs(MissionBrief brief, LoopsConfig config, LoopsRegistry registry, bool agentCode)
    {
        var specs = config.GatesFor(brief).ToList();
        if (agentCode)
        {
            specs.AddRange(registry.GatesAlwaysOnAgentCode.Where(g => !specs.Any(s => s.Name == g.Name)).Select(g => GateSpec.Of(g.Name)));
        }

        return specs;
    }

    /// <summary>The failures of required gates, as the agent reads them; empty when none failed.</summary>
    public static string FailureReport(IReadOnlyList<GateResult> gates) =>
        string.Join("\n", gates.Where(g => g.BlocksMission).SelectMany(g => new[] { $"Gate '{g.Name}' failed: {g.Summary}" }.Concat(g.Diagnostics.Take(20).Select(d => $"  {d}"))));

    /// <summary>Evaluates every gate on <paramref name="changes"/>, masked.</summary>
    public async Task<IReadOnlyList<GateResult>> EvaluateAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var run = mission.Run;
        var sandbox = mission.Sandbox;
        var context = new GateContext(mission.Brief, run.Workspace.Config, mission.Worktree, run.BaseCommit, mission.Log, mission.GateProcesses, changes, new GateSession())
        {
            TempDirectory = sandbox?.GateTempDirectory,
            Isolated = sandbox?.Choice.Backend is not null,
            EngineProcesses = run.Processes,
            Clock = run.Clock,
        };
        var results = new List<GateResult>();
        foreach (var spec in Specs(mission.Brief, run.Workspace.Config, run.Registry, mission.RunsAgentCode))
        {
            var result = await EvaluateAsync(spec, context, cancellationToken);
            mission.Log.Write($"gate {spec.Name}: {result.Status} ({result.Summary})");
            results.Add(result);
        }

        return results;
    }

    /// <summary>Runs the gates on the worktree as it is now, for an agent's <c>run_gates</c> tool.</summary>
    public async Task<string> CheckWorktreeAsync(CancellationToken cancellationToken)
    {
        var changes = await mission.Run.Workspace.Git.DiffWorkingTreeAsync(mission.Worktree, mission.Run.BaseCommit, cancellationToken);
        return FailureReport(await EvaluateAsync(changes, cancellationToken)) is { Length: > 0 } report ? report : "All gates passed.";
    }

    private async Task<GateResult> EvaluateAsync(GateSpec spec, GateContext context, CancellationToken cancellationToken)
    {
        var clock = mission.Run.Clock;
        var started = clock.GetTimestamp();
        var gate = mission.Run.Registry.FindGate(spec.Name);
        try
        {
            return mission.Run.Masker.Mask(gate is null
                ? Crashed(spec, clock.GetElapsedTime(started), $"No gate named '{spec.Name}' in this version.")
                : await gate.EvaluateAsync(context, spec, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            mission.Log.Write($"gate {spec.Name} crashed: {ex}");
            return ex is ToolNotFoundException missing
                ? Crashed(spec, clock.GetElapsedTime(started), missing.Message, DiagnosticCodes.ToolMissing)
                : Crashed(spec, clock.GetElapsedTime(started), $"Gate '{spec.Name}' crashed: {ex.Message}");
        }
    }

    private static GateResult Crashed(GateSpec spec, TimeSpan duration, string message, string code = DiagnosticCodes.GateCrashed) =>
        new(spec.Name, GateStatus.Failed, spec.Required, duration, message, [Diagnostic.Error(code, message)]);
}
