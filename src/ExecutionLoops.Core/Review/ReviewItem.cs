namespace ExecutionLoops.Review;

/// <summary>A published review item (a local queue entry, a pull request, …).</summary>
/// <param name="Id">The target's id for it (queue id, PR number).</param>
/// <param name="MissionId">The mission it belongs to.</param>
/// <param name="Location">Where a person finds it (a command, a URL).</param>
/// <param name="State">Open, changes requested, merged, closed.</param>
/// <param name="Revision">How many times it has been published (1 on creation).</param>
/// <param name="Created">True when this publish created it, false when it updated an existing item.</param>
public sealed record ReviewItem(string Id, string MissionId, string Location, ReviewState State, int Revision, bool Created);
