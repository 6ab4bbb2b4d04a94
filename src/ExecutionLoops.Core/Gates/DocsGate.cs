using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>docs</c>: builds with XML documentation on and lets the compiler find public API without a summary
/// (CS1591). With <c>require-summaries: true</c> any such member fails the gate; otherwise they are counted.
/// </summary>
internal sealed class DocsGate : IGate
{
    /// <inheritdoc />
    public string Name => "docs";

    /// <inheritdoc />
    public string Summary => "Public API documentation: CS1591 findings; fails with require-summaries: true.";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("require-summaries", OptionType.Bool, "Fail on public members without an XML doc summary."),
    ];

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        // A full compile (warnings are only reported when the compiler runs); warnings stay warnings so the gate can read them.
        var build = DotnetCli.Command(context.WorktreePath, "build", GateResults.Solution(context), "--no-incremental", "-nologo", "-clp:NoSummary", "-p:GenerateDocumentationFile=true", "-p:TreatWarningsAsErrors=false", "-p:WarningsAsErrors=", "-p:NoWarn=");
        var (result, duration) = await GateResults.RunAsync(context, build, cancellationToken);
        if (!result.Succeeded)
        {
            return GateResults.Failed(spec, duration, "the build failed, so the documentation could not be checked", CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.BuildFailed), result.Tail());
        }

        var missing = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.MissingDocs, includeWarnings: true)
            .Where(d => d.Message.StartsWith("CS1591", StringComparison.Ordinal))
            .Select(d => d with { Severity = DiagnosticSeverity.Error })
            .ToList();
        var required = spec.Values.Bool("require-summaries") == true;
        if (missing.Count == 0)
        {
            return GateResults.Passed(spec, duration, "every public type and member has a summary");
        }

        var summary = $"{missing.Count} public type(s) or member(s) without a summary, first {missing[0].Path}({missing[0].Line})";
        return required
            ? GateResults.Failed(spec, duration, summary, missing, result.Tail(5))
            : GateResults.Passed(spec, duration, summary + " (not required)");
    }
}
