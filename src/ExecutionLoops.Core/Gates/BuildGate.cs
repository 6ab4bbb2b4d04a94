using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>build</c>: <c>dotnet build</c> of the solution (or the context's project); compiler errors become EL3001
/// diagnostics with file and line. A build that already ran (<see cref="GateContext.CompletedBuild"/>) is read from its
/// compiler log instead. Every error and warning is kept in <see cref="GateSession.BuildDiagnostics"/>.
/// </summary>
public sealed class BuildGate : IGate
{
    /// <inheritdoc />
    public string Name => "build";

    /// <inheritdoc />
    public string Summary => "dotnet build of the solution.";

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    public IReadOnlyList<string> CriterionWords { get; } = ["build", "compile"];

    /// <inheritdoc />
    public Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken) =>
        context.CompletedBuild is { } completed && File.Exists(completed.CompilerLog)
            ? Task.FromResult(Read(context, spec, completed))
            : BuildAsync(context, spec, cancellationToken);

    /// <summary>Builds (with restore, so with the network); the test gate uses this too before it runs without the network.</summary>
    internal static async Task<GateResult> BuildAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var (result, duration) = await GateResults.RunAsync(context, DotnetCli.Command(context.WorktreePath, "build", GateResults.Solution(context), "-nologo", "-clp:NoSummary"), cancellationToken);
        var diagnostics = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.BuildFailed, includeWarnings: true);
        return Verdict(context, spec, result.Succeeded, diagnostics, duration, $"build failed (exit {result.ExitCode})", result.Succeeded ? result.Tail(5) : result.Tail());
    }

    private static GateResult Read(GateContext context, GateSpec spec, BuildEvidence completed)
    {
        var diagnostics = SarifLogReader.ReadDiagnostics(completed.CompilerLog, context.WorktreePath);
        if (!completed.Succeeded && !diagnostics.Any(d => d.IsError))
        {
            // The compiler never ran (restore or project evaluation failed): say so instead of "0 errors".
            var project = Path.GetRelativePath(context.WorktreePath, GateResults.Solution(context)).Replace('\\', '/');
            diagnostics = [Diagnostic.Error(DiagnosticCodes.BuildFailed, "The build failed before compiling (restore or project evaluation); the NuGet (NUxxxx) or MSBuild (MSBxxxx) errors are in the build output.", project), .. diagnostics];
        }

        return Verdict(context, spec, completed.Succeeded, diagnostics, TimeSpan.Zero, "build failed", "");
    }

    private static GateResult Verdict(GateContext context, GateSpec spec, bool succeeded, IReadOnlyList<Diagnostic> diagnostics, TimeSpan duration, string failedWithoutErrors, string logTail)
    {
        context.Session.BuildDiagnostics = diagnostics;
        var errors = diagnostics.Where(d => d.IsError).ToList();
        if (succeeded)
        {
            context.Session.BuildSucceeded = true;
            var warnings = diagnostics.Count - errors.Count;
            return GateResults.Passed(spec, duration, warnings == 0 ? "build succeeded" : $"build succeeded with {warnings} warning(s)", logTail);
        }

        var summary = errors.Count == 0 ? failedWithoutErrors : $"build failed: {errors.Count} error(s), first {errors[0].Path}({errors[0].Line}): {errors[0].Message}";
        return GateResults.Failed(spec, duration, summary, errors, logTail);
    }
}
