using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>
/// Runs read-only gates on the developer's working tree in place (for assistants: "is it green?"). Gates that
/// only make sense for a mission (diff limits, commands from a brief, coverage against a base) are refused.
/// </summary>
public sealed class WorkingTreeCheck(LoopsWorkspace workspace, LoopsRegistry registry, ProcessRunner processes, TimeProvider clock)
{
    /// <summary>Runs the gates in order; the changes are measured against HEAD.</summary>
    public async Task<IReadOnlyList<GateResult>> RunAsync(IReadOnlyList<string> gates, CancellationToken cancellationToken)
    {
        var allowed = registry.WorkingTreeGates;
        var refused = gates.Where(g => !allowed.Contains(g)).ToList();
        if (refused.Count > 0)
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.UnknownGate, $"These gates cannot check a working tree: {string.Join(", ", refused)}.", $"Use {string.Join(", ", allowed)}.");
        }

        var head = await workspace.Git.ResolveCommitAsync("HEAD", workspace.Root, cancellationToken)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.NoCommits, "The repository has no commits yet.", "Commit once, then check again.");
        var changes = await workspace.Git.DiffWorkingTreeAsync(workspace.Root, head, cancellationToken);
        var context = GateContext.ForWorkingTree(workspace.Config, workspace.Root, head, processes, changes, clock);
        var results = new List<GateResult>();
        foreach (var name in gates)
        {
            results.Add(await registry.FindGate(name)!.EvaluateAsync(context, GateSpec.Of(name), cancellationToken));
        }

        return results;
    }
}
