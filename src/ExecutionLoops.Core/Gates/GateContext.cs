using ExecutionLoops.Diagnostics;
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
    GateSession Session)
{
    /// <summary>Where the gate's processes may write temporary files (inside the sandbox for agent missions); null for the system temp folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// Starts processes outside the sandbox, for measurements of the base commit (the user's code, not the
    /// agent's); null for <see cref="Processes"/>.
    /// </summary>
    public ProcessRunner? EngineProcesses { get; init; }

    /// <summary>True when the gate runs agent-written code inside an OS sandbox: its tests then run without network.</summary>
    public bool Isolated { get; init; }

    /// <summary>The project or solution the gates build and test instead of the brief's (else the config's) solution: the pair loop's project.</summary>
    public string? Project { get; init; }

    /// <summary>The test projects the test gate runs, in place of the whole <see cref="Project"/> or solution (pair watch mode: the affected ones; empty runs none); null for all.</summary>
    public IReadOnlyList<string>? TestProjects { get; init; }

    /// <summary>A build that already ran (the MSBuild Pair target's): the build gate reads its compiler log instead of building again.</summary>
    public BuildEvidence? CompletedBuild { get; init; }

    /// <summary>The clock gates time themselves with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// A context for gates that run on a developer's working tree in place (<c>loops pair</c>, the MCP tool): a
    /// stand-in brief, and no mission log, since the results carry what matters.
    /// </summary>
    public static GateContext ForWorkingTree(LoopsConfig config, string root, string baseCommit, ProcessRunner processes, IReadOnlyList<FileChange> changes, TimeProvider clock)
    {
        var brief = new MissionBrief { Id = "working-tree", Kind = "command", Title = "working tree", SourcePath = "", RelativePath = "." };
        return new GateContext(brief, config, root, baseCommit, new DiscardedLog(), processes, changes, new GateSession()) { Clock = clock };
    }

    /// <summary>A new empty folder for a gate's output files, where its processes can write.</summary>
    public string CreateTempFolder(string prefix)
    {
        var folder = Path.Combine(TempDirectory ?? Path.GetTempPath(), $"{prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private sealed class DiscardedLog : IMissionLog
    {
        public void Write(string line)
        {
        }
    }
}
