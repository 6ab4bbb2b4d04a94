using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Gates: what the sandbox reverted after the toil, reported as a failed required <c>sandbox</c> gate so it drives the
/// next attempt like any other failure, then the mission's gates.
/// </summary>
internal sealed class GatesStage(MissionContext mission, GateRunner gates)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (mission.Progress.IsDone(MissionStage.Gates))
        {
            return;
        }

        await mission.Journal.RunStageAsync(MissionStage.Gates, async () =>
        {
            var results = new List<GateResult>();
            if (mission.Progress.SandboxViolations is { Count: > 0 } violations)
            {
                results.Add(SandboxGate(violations));
            }

            results.AddRange(await gates.EvaluateAsync(mission.Progress.Changes, cancellationToken));
            return new StageOutput(!results.Any(r => r.BlocksMission), Line(results), new GatesRecord(results));
        });
    }

    private static GateResult SandboxGate(IReadOnlyList<Diagnostic> violations) =>
        new("sandbox", GateStatus.Failed, true, TimeSpan.Zero, $"{violations.Count} change(s) reverted: {violations[0].Message}", violations);

    private static string Line(IReadOnlyList<GateResult> results) =>
        results.Count == 0 ? "no gates" : string.Join(", ", results.Select(r => $"{r.Name} {(r.Status == GateStatus.Passed ? "✓" : r.Status == GateStatus.Skipped ? "–" : "✗")}"));
}
