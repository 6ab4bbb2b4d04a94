using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary>Shared steps of the process-backed gates: run, time, and turn the outcome into a <see cref="GateResult"/>.</summary>
internal static class GateResults
{
    public static async Task<(ProcessResult Result, TimeSpan Duration)> RunAsync(GateContext context, ProcessSpec spec, CancellationToken cancellationToken)
    {
        context.Log.Write($"$ {spec.Display}");
        var stopwatch = new ClockStopwatch(context.Clock);
        var result = await context.Processes.RunAsync(spec with { OnOutputLine = context.Log.Write }, cancellationToken);
        return (result, stopwatch.Elapsed);
    }

    public static GateResult Passed(GateSpec spec, TimeSpan duration, string summary, string logTail = "") =>
        new(spec.Name, GateStatus.Passed, spec.Required, duration, summary, [], logTail);

    public static GateResult Failed(GateSpec spec, TimeSpan duration, string summary, IReadOnlyList<Diagnostic> diagnostics, string logTail = "") =>
        new(spec.Name, GateStatus.Failed, spec.Required, duration, summary, diagnostics.Count > 0 ? diagnostics : [Diagnostic.Error(DiagnosticCodes.GateCrashed, summary)], logTail);

    public static GateResult TimedOut(GateSpec spec, TimeSpan duration, string logTail) =>
        Failed(spec, duration, $"{spec.Name} timed out", [Diagnostic.Error(DiagnosticCodes.GateTimedOut, $"The {spec.Name} gate timed out; its process tree was killed.")], logTail);

    /// <summary>What the gates build and test: the context's project when it names one, else the brief's or config's solution.</summary>
    public static string Solution(GateContext context) =>
        context.Project ?? Workspace.SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
}
