using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

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

            ChangeFingerprint? before = null;
            if (mission.RunsAgentCode)
            {
                // The gates check the change and nothing else: ignored files the agent left (build outputs, a local
                // props file a tracked one imports when it exists) could stand in for what the change builds.
                await mission.Run.Workspace.Git.RemoveIgnoredFilesAsync(mission.Worktree, cancellationToken);

                // Gates of agent missions run agent-written code (build targets, tests): it must not change what they check.
                before = await FingerprintAsync(cancellationToken);
                if (mission.Sandbox is { } sandbox && await sandbox.ReadyGateHostsAsync() is { } warm)
                {
                    mission.Log.Write(warm
                        ? "gates: run in the gates' sandbox hosts, their compiler server and build nodes warm"
                        : "gates: run in fresh gates' sandbox hosts (the agent was done before their warm-up)");
                }
            }

            results.AddRange(await gates.EvaluateAsync(mission.Progress.Changes, cancellationToken));
            if (mission.Sandbox is { } done)
            {
                // Nothing the gates started (build nodes and the compiler server ran the change's targets and analyzers) outlives them.
                await done.StopGateHostsAsync();
            }

            if (before?.Differences(await FingerprintAsync(cancellationToken)) is { Count: > 0 } rewritten)
            {
                results.Add(RewrittenGate(rewritten));
            }

            return new StageOutput(!results.Any(r => r.BlocksMission), Line(results), new GatesRecord(results));
        });
    }

    private Task<ChangeFingerprint> FingerprintAsync(CancellationToken cancellationToken) =>
        ChangeFingerprint.TakeAsync(mission.Run.Workspace.Git, mission.Worktree, mission.Run.BaseCommit, cancellationToken);

    private static GateResult RewrittenGate(IReadOnlyList<string> paths)
    {
        var diagnostics = paths.Select(path => Diagnostic.Error(DiagnosticCodes.ChangedDuringGates, $"'{path}' changed while the gates ran: a build target or test rewrote the change after gates had checked it.", path, hint: "Keep build targets and tests from writing into the source tree; generated files belong in obj/.")).ToList();
        return new("sandbox", GateStatus.Failed, true, TimeSpan.Zero, $"{paths.Count} file(s) changed while the gates ran: {paths[0]}", diagnostics);
    }

    private static GateResult SandboxGate(IReadOnlyList<Diagnostic> violations) =>
        new("sandbox", GateStatus.Failed, true, TimeSpan.Zero, $"{violations.Count} change(s) reverted: {violations[0].Message}", violations);

    private static string Line(IReadOnlyList<GateResult> results) =>
        results.Count == 0 ? "no gates" : string.Join(", ", results.Select(r => $"{r.Name} {(r.Status == GateStatus.Passed ? "✓" : r.Status == GateStatus.Skipped ? "–" : "✗")}"));
}
