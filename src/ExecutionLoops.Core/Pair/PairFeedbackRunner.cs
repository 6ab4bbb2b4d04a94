using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Pair;

/// <summary>
/// Immediate feedback for a pair session from the registered <c>build</c> and <c>test</c> gates, the ones delegation
/// runs: an incremental build of the project and, when asked, its tests, on the working tree in place.
/// </summary>
public sealed class PairFeedbackRunner(LoopsRegistry registry, LoopsConfig config, ProcessRunner processes, TimeProvider clock)
{
    /// <summary>
    /// Builds <paramref name="project"/> (and tests it when <paramref name="runTests"/>); compile errors are results,
    /// not failures. When the caller already built in-process (the MSBuild Pair target), <paramref name="evidence"/>
    /// carries the result and the compiler's SARIF log instead, and nothing is built twice.
    /// </summary>
    /// <param name="root">The working tree.</param>
    /// <param name="baseCommit">The session's start snapshot.</param>
    /// <param name="project">The project or solution to build.</param>
    /// <param name="runTests">Whether to run tests after a successful build.</param>
    /// <param name="evidence">A build that already ran, or null.</param>
    /// <param name="cancellationToken">Cancels the build and the tests.</param>
    /// <param name="testProjects">Only these test projects (watch mode: the affected ones); null tests <paramref name="project"/>.</param>
    public async Task<PairFeedback> RunAsync(string root, string baseCommit, string project, bool runTests, BuildEvidence? evidence, CancellationToken cancellationToken, IReadOnlyList<string>? testProjects = null)
    {
        var context = GateContext.ForWorkingTree(config, root, baseCommit, processes, [], clock) with { Project = project, TestProjects = testProjects, CompletedBuild = evidence };
        var build = await EvaluateAsync("build", context, cancellationToken);
        var errors = context.Session.BuildDiagnostics.Where(d => d.IsError).ToList();
        var warnings = context.Session.BuildDiagnostics.Where(d => !d.IsError).ToList();
        if (build.Status == GateStatus.Failed || !runTests)
        {
            return new PairFeedback(build.Status != GateStatus.Failed, errors, warnings, false, 0, []);
        }

        await EvaluateAsync("test", context, cancellationToken);
        var tests = context.Session.TestResults ?? new TrxResults(0, 0, []);
        return new PairFeedback(true, errors, warnings, true, tests.Passed, tests.Failed.Select(f => $"{f.Name}: {f.Message}").ToList());
    }

    private Task<GateResult> EvaluateAsync(string gate, GateContext context, CancellationToken cancellationToken) =>
        registry.FindGate(gate)!.EvaluateAsync(context, GateSpec.Of(gate), cancellationToken);
}
