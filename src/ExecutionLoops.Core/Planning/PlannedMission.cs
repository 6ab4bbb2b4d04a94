using ExecutionLoops.Briefs;

namespace ExecutionLoops.Planning;

/// <summary>Whether a mission is due now, and why (shown by <c>loops plan</c>).</summary>
/// <param name="Brief">The mission.</param>
/// <param name="Due">True when the run should include it.</param>
/// <param name="Reason">Why it is or is not due, in one line.</param>
/// <param name="LastSuccess">When it last finished successfully, if ever.</param>
/// <param name="NextDue">When a scheduled mission is next due, if it is not due now.</param>
public sealed record PlannedMission(MissionBrief Brief, bool Due, string Reason, DateTimeOffset? LastSuccess = null, DateTimeOffset? NextDue = null);
