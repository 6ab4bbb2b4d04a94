using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>The repository ExecutionLoops works on: git, its config, and where state is kept.</summary>
/// <param name="Git">The repository.</param>
/// <param name="Config">Its <c>.loops/config.yml</c> (or defaults).</param>
/// <param name="State">Paths under the state directory.</param>
public sealed record LoopsWorkspace(GitRepository Git, LoopsConfig Config, StatePaths State)
{
    /// <summary>The repository root.</summary>
    public string Root => Git.Root;
}
