using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>test</c>: <c>dotnet test</c> (with <c>--no-build</c> after a successful build gate) of the solution, or of the
/// context's test projects; failed tests are read from the TRX results and listed by name with their first message
/// line. The outcome is kept in <see cref="GateSession.TestResults"/>.
/// </summary>
internal sealed class TestGate : IGate
{
    /// <inheritdoc />
    public string Name => "test";

    /// <inheritdoc />
    public string Summary => "dotnet test; failures listed by name.";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("filter", OptionType.Text, "dotnet test --filter expression."),
    ];

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    public IReadOnlyList<string> CriterionWords { get; } = ["test"];

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var results = context.CreateTempFolder("loops-trx-");
        try
        {
            var arguments = new List<string> { "-nologo", "--logger", "trx", "--results-directory", results };
            if (context.Session.BuildSucceeded)
            {
                arguments.Add("--no-build");
            }
            else if (context.Isolated)
            {
                // In a sandbox the tests run without network: build first (restore needs the package sources).
                if (await BuildGate.BuildAsync(context, spec, cancellationToken) is { Status: GateStatus.Failed } buildFailed)
                {
                    return buildFailed;
                }

                arguments.Add("--no-build");
            }

            if (spec.Values.Text("filter") is { } filter)
            {
                arguments.AddRange(["--filter", filter]);
            }

            var (result, duration) = await RunAsync(context, context.TestProjects ?? [GateResults.Solution(context)], arguments, cancellationToken);
            var outcome = TrxResults.Read(results);
            context.Session.TestResults = outcome;
            if (result is null)
            {
                return new GateResult(Name, GateStatus.Skipped, spec.Required, duration, "no test projects to run", []);
            }

            if (result.Succeeded)
            {
                return outcome.Total == 0
                    ? new GateResult(Name, GateStatus.Skipped, spec.Required, duration, "no tests found", [], result.Tail(5))
                    : GateResults.Passed(spec, duration, $"{outcome.Passed} passed", result.Tail(5));
            }

            if (outcome.Failed.Count == 0)
            {
                var errors = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.TestsFailed);
                return GateResults.Failed(spec, duration, $"dotnet test failed (exit {result.ExitCode}) before reporting results", errors, result.Tail());
            }

            var diagnostics = outcome.Failed.Select(f => Diagnostic.Error(DiagnosticCodes.TestsFailed, $"Test failed: {f.Name}: {f.Message}")).ToList();
            var names = string.Join(", ", outcome.Failed.Take(5).Select(f => f.Name)) + (outcome.Failed.Count > 5 ? $" and {outcome.Failed.Count - 5} more" : "");
            return GateResults.Failed(spec, duration, $"{outcome.Passed} passed, {outcome.Failed.Count} failed: {names}", diagnostics, result.Tail());
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    /// <summary>Runs <c>dotnet test</c> on each target; returns the first failed run (else the last), null when there was no target.</summary>
    private static async Task<(ProcessResult? Result, TimeSpan Duration)> RunAsync(GateContext context, IReadOnlyList<string> targets, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ProcessResult? shown = null;
        var duration = TimeSpan.Zero;
        foreach (var target in targets)
        {
            var (result, took) = await GateResults.RunAsync(context, DotnetCli.Command(context.WorktreePath, ["test", target, .. arguments]) with { Network = !context.Isolated }, cancellationToken);
            duration += took;
            shown = shown is { Succeeded: false } ? shown : result;
        }

        return (shown, duration);
    }
}
