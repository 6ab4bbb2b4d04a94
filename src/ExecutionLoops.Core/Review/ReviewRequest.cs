using ExecutionLoops.Briefs;
using ExecutionLoops.Gates;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Review;

/// <summary>What the runner hands a review target to publish (create or update) for one mission.</summary>
/// <param name="Brief">The mission.</param>
/// <param name="RunId">The run that produced the change.</param>
/// <param name="Branch">The mission branch, e.g. <c>loops/format-code</c>.</param>
/// <param name="BaseBranch">The branch to merge into, or null when the base was a detached commit.</param>
/// <param name="BaseCommit">The commit the mission started from.</param>
/// <param name="HeadCommit">The mission commit.</param>
/// <param name="Title">The review item title.</param>
/// <param name="Body">The review item body (Markdown).</param>
/// <param name="Draft">True when advisory gates failed (per the brief's draft policy).</param>
/// <param name="Diff">Size of the change.</param>
/// <param name="Gates">Gate results.</param>
public sealed record ReviewRequest(
    MissionBrief Brief,
    string RunId,
    string Branch,
    string? BaseBranch,
    string BaseCommit,
    string HeadCommit,
    string Title,
    string Body,
    bool Draft,
    DiffStat Diff,
    IReadOnlyList<GateResult> Gates);
