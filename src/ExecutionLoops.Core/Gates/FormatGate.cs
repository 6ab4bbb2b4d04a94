using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary><c>format</c>: <c>dotnet format --verify-no-changes</c>; each file it would change becomes an EL3003 diagnostic.</summary>
public sealed class FormatGate : IGate
{
    /// <inheritdoc />
    public string Name => "format";

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var (result, duration) = await GateResults.RunAsync(context, DotnetCli.Command(context.WorktreePath, "format", GateResults.Solution(context), "--verify-no-changes", "--verbosity", "minimal"), cancellationToken);
        if (result.Succeeded)
        {
            return GateResults.Passed(spec, duration, "formatting is clean");
        }

        var findings = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.FormatDirty);
        var files = findings.Select(f => f.Path).Distinct().ToList();
        var summary = files.Count == 0 ? $"dotnet format --verify-no-changes failed (exit {result.ExitCode})" : $"{findings.Count} formatting issue(s) in {files.Count} file(s): {string.Join(", ", files.Take(5))}";
        return GateResults.Failed(spec, duration, summary, findings, result.Tail());
    }
}
