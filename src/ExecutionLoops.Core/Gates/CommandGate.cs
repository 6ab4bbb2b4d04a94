using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary><c>command</c>: any shell command run in the worktree; exit code 0 passes.</summary>
internal sealed class CommandGate : IGate
{
    /// <inheritdoc />
    public string Name => "command";

    /// <inheritdoc />
    public string Summary => "Any command; its exit code decides.";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", OptionType.Text, "Shell command; exit code 0 passes.") { Required = true, Example = "\"dotnet tool run my-check\"" },
        new("timeout", OptionType.Duration, "A duration: 90s, 15m, 1h30m, 2d, 500ms or hh:mm:ss."),
    ];

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var (run, timeout) = CommandOptions.Read(spec);
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

    /// <summary>The gate's options: the command line (required by lint) and its own timeout.</summary>
    private sealed record CommandOptions(string Run, TimeSpan? Timeout)
    {
        public static CommandOptions Read(GateSpec spec) => new(spec.Values.Text("run") ?? "", spec.Values.Duration("timeout"));
    }
}
