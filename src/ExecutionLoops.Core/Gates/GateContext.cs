using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Gates;

/// <summary>What a gate may look at.</summary>
/// <param name="Brief">The mission.</param>
/// <param name="Config">Repository defaults (protected paths, …).</param>
/// <param name="WorktreePath">The mission worktree with the toil's changes (uncommitted).</param>
/// <param name="BaseCommit">The commit the mission started from; diffs are measured against it.</param>
/// <param name="Log">The mission's run log.</param>
/// <param name="Processes">Starts external programs.</param>
/// <param name="Changes">Files the toil changed, measured against <paramref name="BaseCommit"/> right after the toil (build outputs excluded).</param>
/// <param name="Session">Work shared between the gates of one evaluation (build once, test with --no-build).</param>
public sealed record GateContext(
    MissionBrief Brief,
    LoopsConfig Config,
    string WorktreePath,
    string BaseCommit,
    IMissionLog Log,
    ProcessRunner Processes,
    IReadOnlyList<FileChange> Changes,
    GateSession Session);
