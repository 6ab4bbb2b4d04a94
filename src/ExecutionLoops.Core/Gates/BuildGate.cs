using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary><c>build</c>: <c>dotnet build</c> of the solution; compiler errors become EL3001 diagnostics with file and line.</summary>
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
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var (result, duration) = await GateResults.RunAsync(context, DotnetCli.Command(context.WorktreePath, "build", GateResults.Solution(context), "-nologo", "-clp:NoSummary"), cancellationToken);
        if (result.Succeeded)
        {
            context.Session.BuildSucceeded = true;
            var warnings = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.BuildFailed, includeWarnings: true).Count;
            return GateResults.Passed(spec, duration, warnings == 0 ? "build succeeded" : $"build succeeded with {warnings} warning(s)", result.Tail(5));
        }

        var errors = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.BuildFailed);
        var summary = errors.Count == 0 ? $"build failed (exit {result.ExitCode})" : $"build failed: {errors.Count} error(s), first {errors[0].Path}({errors[0].Line}): {errors[0].Message}";
        return GateResults.Failed(spec, duration, summary, errors, result.Tail());
    }
}
