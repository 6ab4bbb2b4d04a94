using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary><c>command</c>: any shell command run in the worktree; exit code 0 passes.</summary>
public sealed class CommandGate : IGate
{
    /// <inheritdoc />
    public string Name => "command";

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var run = spec.Option("run") ?? "";
        var timeout = DurationParser.TryParse(spec.Option("timeout"), out var limit) ? limit : (TimeSpan?)null;
        var environment = new Dictionary<string, string?> { ["LOOPS_MISSION_ID"] = context.Brief.Id, ["LOOPS_WORKTREE"] = context.WorktreePath };
        var (result, duration) = await GateResults.RunAsync(context, ProcessSpec.Shell(run, context.WorktreePath) with { Timeout = timeout, Environment = environment }, cancellationToken);
        if (result.TimedOut)
        {
            return GateResults.TimedOut(spec, duration, result.Tail());
        }

        return result.Succeeded
            ? GateResults.Passed(spec, duration, $"'{run}' passed", result.Tail(5))
            : GateResults.Failed(spec, duration, $"'{run}' failed with exit code {result.ExitCode}", [Diagnostic.Error(DiagnosticCodes.CommandGateFailed, $"Command gate '{run}' failed with exit code {result.ExitCode}.")], result.Tail());
    }
}
