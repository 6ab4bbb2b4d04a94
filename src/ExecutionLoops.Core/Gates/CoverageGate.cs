using System.Globalization;
using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>coverage</c>: the tests pass with coverage collected (coverlet), and line coverage of the mission scope
/// does not drop below the base commit's (by more than <c>min-delta</c> points) or below <c>min</c> percent.
/// With <c>mutate: N</c>, N members the change newly covered get one flipped operator each, and the tests must
/// catch it (a mutation spot-check).
/// </summary>
internal sealed class CoverageGate : IGate
{
    /// <inheritdoc />
    public string Name => "coverage";

    /// <inheritdoc />
    public string Summary => "Line coverage of the scope (coverlet) does not drop compared with the base commit, nor under min.";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("min-delta", OptionType.Number, "Allowed change in line coverage (percentage points)."),
        new("min", OptionType.Number, "Minimum line coverage (percent)."),
        new("mutate", OptionType.Count, "Mutation spot-check: this many newly covered members get one flipped operator each, and the tests must catch it."),
    ];

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var stopwatch = new ClockStopwatch(context.Clock);
        var solution = GateResults.Solution(context);
        var timeout = context.Brief.Constraints.Timeout ?? context.Config.MissionTimeout;
        var (current, result) = await CoverageReport.CollectAsync(context.Processes, context.TempDirectory ?? Path.GetTempPath(), context.WorktreePath, solution, timeout, context.Log.Write, cancellationToken);
        if (current is null)
        {
            var why = result.Succeeded ? "no coverage was collected (add the coverlet.collector package to the test projects)" : "the tests failed";
            return GateResults.Failed(spec, stopwatch.Elapsed, why, [Diagnostic.Error(result.Succeeded ? DiagnosticCodes.CoverageDropped : DiagnosticCodes.TestsFailed, $"Coverage could not be measured: {why}.")], result.Tail());
        }

        var baseline = await CoverageBaseline.GetAsync(context.EngineProcesses ?? context.Processes, context.WorktreePath, context.BaseCommit, solution, timeout, context.Log.Write, cancellationToken);
        var scope = new ScopeMatcher(context.Brief.Scope);
        var now = current.Percent(scope);
        var before = baseline?.Percent(scope);
        var (delta, minimum, mutants) = CoverageOptions.Read(spec);
        var summary = before is { } was ? string.Create(CultureInfo.InvariantCulture, $"line coverage {was:0.0}% → {now:0.0}% ({now - was:+0.0;-0.0;0.0})") : string.Create(CultureInfo.InvariantCulture, $"line coverage {now:0.0}% (no baseline)");
        var problems = new List<Diagnostic>();
        if (before is { } previous && now < previous - delta - 0.05)
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.CoverageDropped, string.Create(CultureInfo.InvariantCulture, $"Line coverage of the scope dropped from {previous:0.0}% to {now:0.0}%."), hint: "Add tests for the changed code, or allow a drop with min-delta."));
        }

        if (minimum is { } floor && now < floor)
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.CoverageDropped, string.Create(CultureInfo.InvariantCulture, $"Line coverage of the scope is {now:0.0}%, under the minimum of {floor:0.#}%."), hint: "Add tests, or lower min."));
        }

        if (mutants > 0 && problems.Count == 0)
        {
            var candidates = MutationSpotCheck.NewlyCovered(baseline, current, scope);
            var (survivors, tried) = await MutationSpotCheck.RunAsync(context.Processes, context.WorktreePath, solution, candidates, mutants, timeout, context.Log.Write, cancellationToken);
            summary += $"; {tried - survivors.Count} of {tried} mutant(s) caught";
            if (tried > 0)
            {
                // The last test run built a mutant: build the real code again so later gates see it.
                await context.Processes.RunAsync(Processes.DotnetCli.Command(context.WorktreePath, "build", solution, "-nologo") with { Timeout = timeout, OnOutputLine = context.Log.Write }, cancellationToken);
            }

            problems.AddRange(survivors.Select(m => Diagnostic.Error(DiagnosticCodes.MutantSurvived, $"The tests still pass when {m.Member} is broken ('{m.Before}' → '{m.After}').", m.File, m.Line, 0, "Assert on the member's result, not only that it runs.")));
        }

        return problems.Count == 0 ? GateResults.Passed(spec, stopwatch.Elapsed, summary) : GateResults.Failed(spec, stopwatch.Elapsed, summary, problems);
    }

    /// <summary>The gate's options: the allowed drop (points), a floor (percent) and the mutants to try.</summary>
    private sealed record CoverageOptions(double MinDelta, double? Min, int Mutate)
    {
        public static CoverageOptions Read(GateSpec spec) => new(spec.Values.Number("min-delta") ?? 0, spec.Values.Number("min"), spec.Values.WholeNumber("mutate") ?? 0);
    }
}
