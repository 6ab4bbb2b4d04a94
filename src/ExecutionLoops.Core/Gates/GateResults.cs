using System.Diagnostics;
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
        var stopwatch = Stopwatch.StartNew();
        var result = await context.Processes.RunAsync(spec with { OnOutputLine = context.Log.Write }, cancellationToken);
        return (result, stopwatch.Elapsed);
    }

    /// <summary>
    /// Builds the solution (with restore, so with the network) for a gate that then runs without it; returns the
    /// failed gate when the build fails, null otherwise.
    /// </summary>
    public static async Task<GateResult?> BuildAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var (result, duration) = await RunAsync(context, DotnetCli.Command(context.WorktreePath, "build", Solution(context), "-nologo", "-clp:NoSummary"), cancellationToken);
        if (result.Succeeded)
        {
            context.Session.BuildSucceeded = true;
            return null;
        }

        var errors = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.BuildFailed);
        return Failed(spec, duration, errors.Count == 0 ? $"build failed (exit {result.ExitCode})" : $"build failed: {errors[0].Message}", errors, result.Tail());
    }

    public static GateResult Passed(GateSpec spec, TimeSpan duration, string summary, string logTail = "") =>
        new(spec.Name, GateStatus.Passed, spec.Required, duration, summary, [], logTail);

    public static GateResult Failed(GateSpec spec, TimeSpan duration, string summary, IReadOnlyList<Diagnostic> diagnostics, string logTail = "") =>
        new(spec.Name, GateStatus.Failed, spec.Required, duration, summary, diagnostics.Count > 0 ? diagnostics : [Diagnostic.Error(DiagnosticCodes.GateCrashed, summary)], logTail);

    public static GateResult TimedOut(GateSpec spec, TimeSpan duration, string logTail) =>
        Failed(spec, duration, $"{spec.Name} timed out", [Diagnostic.Error(DiagnosticCodes.GateTimedOut, $"The {spec.Name} gate timed out; its process tree was killed.")], logTail);

    public static string Solution(GateContext context) =>
        Workspace.SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
}
