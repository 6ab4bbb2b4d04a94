using System.Text.Json.Serialization;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Execution;

/// <summary>What a completed stage leaves in the journal (a stage-done entry's <see cref="JournalEntry.Done"/>); a resume trusts it.</summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(PrepareRecord), "prepare")]
[JsonDerivedType(typeof(ToilRecord), "toil")]
[JsonDerivedType(typeof(GatesRecord), "gates")]
[JsonDerivedType(typeof(CommitRecord), "commit")]
[JsonDerivedType(typeof(PublishRecord), "publish")]
internal abstract record StageRecord;

/// <summary>The mission's worktree (or clone, for agent kinds) is checked out at the base commit.</summary>
/// <param name="Worktree">Where.</param>
internal sealed record PrepareRecord(string Worktree) : StageRecord;

/// <summary>The toil succeeded.</summary>
/// <param name="Summary">Its one line (masked), also the commit message body.</param>
/// <param name="Changes">The files it changed, measured against the base commit.</param>
/// <param name="SandboxViolations">What the sandbox reverted after it; they fail the gates.</param>
/// <param name="Details">A Markdown section for the review body, or null.</param>
/// <param name="AgentUsage">What the agent used over all attempts so far, or null when this attempt reported nothing.</param>
internal sealed record ToilRecord(
    string Summary,
    IReadOnlyList<FileChange> Changes,
    IReadOnlyList<Diagnostic> SandboxViolations,
    string? Details = null,
    AgentUsageReport? AgentUsage = null) : StageRecord;

/// <summary>The gates were evaluated (passed or not).</summary>
/// <param name="Results">Each gate's verdict, in order.</param>
internal sealed record GatesRecord(IReadOnlyList<GateResult> Results) : StageRecord;

/// <summary>The change is committed and <c>loops/&lt;id&gt;</c> points at it.</summary>
/// <param name="Sha">The commit.</param>
internal sealed record CommitRecord(string Sha) : StageRecord;

/// <summary>The review item is created or updated.</summary>
/// <param name="ReviewId">The item's id in the review target.</param>
/// <param name="Location">Where a reviewer finds it.</param>
internal sealed record PublishRecord(string ReviewId, string Location) : StageRecord;

/// <summary>What a run starts from (run-started entry).</summary>
/// <param name="Missions">Mission ids, in run order.</param>
/// <param name="BaseCommit">The commit every mission starts from.</param>
/// <param name="BaseBranch">The branch it was resolved from, or null for a detached HEAD.</param>
internal sealed record RunStartRecord(IReadOnlyList<string> Missions, string BaseCommit, string? BaseBranch);

/// <summary>An agent mission starts another attempt after failed required gates (attempt-started entry).</summary>
/// <param name="Number">The attempt that starts (2 or more).</param>
/// <param name="PreviousFailures">The failures of the attempt before, as the agent reads them.</param>
internal sealed record AttemptRecord(int Number, string PreviousFailures);
