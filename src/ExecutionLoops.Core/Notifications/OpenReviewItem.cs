namespace ExecutionLoops.Notifications;

/// <summary>A review item that waits for a reviewer.</summary>
/// <param name="Id">The target's id for it.</param>
/// <param name="MissionId">Its mission.</param>
/// <param name="Title">Its title.</param>
/// <param name="Location">Where a person finds it.</param>
/// <param name="Revision">How many times it was published.</param>
/// <param name="WaitingSince">When it last changed (published, or answered).</param>
internal sealed record OpenReviewItem(string Id, string MissionId, string Title, string Location, int Revision, DateTimeOffset WaitingSince);

/// <summary>A review target that can list its open items, so loops can tell who waits too long (<c>stale-review</c>).</summary>
internal interface IOpenReviewItems
{
    /// <summary>The items waiting for a reviewer (open, or with changes requested and not yet answered).</summary>
    Task<IReadOnlyList<OpenReviewItem>> OpenItemsAsync(CancellationToken cancellationToken);
}
