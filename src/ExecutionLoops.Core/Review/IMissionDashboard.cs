namespace ExecutionLoops.Review;

/// <summary>
/// One page, kept up to date by loops, that lists every mission (its schedule, last outcome and open item) with a box
/// per mission that a trusted person ticks to ask for a run (the GitHub target's dashboard issue). A target offers it
/// through <see cref="IReviewTarget.Dashboard"/> when the config turns it on (<c>review.dashboard: true</c>).
/// </summary>
public interface IMissionDashboard
{
    /// <summary>The missions whose box is ticked, each with who ticked it and whether that person is trusted.</summary>
    Task<IReadOnlyList<DashboardRequest>> ReadRequestsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rewrites the page with <paramref name="missions"/>, every box unticked, and a note for each of
    /// <paramref name="handled"/> (run, or ignored because its author is not trusted). Creates the page when there is none;
    /// never a second one.
    /// </summary>
    Task UpdateAsync(IReadOnlyList<DashboardMission> missions, IReadOnlyList<DashboardRequest> handled, CancellationToken cancellationToken);
}

/// <summary>One mission's row on the dashboard.</summary>
/// <param name="Id">The mission id.</param>
/// <param name="Title">The brief's title.</param>
/// <param name="Schedule">The cron schedule, or "manual".</param>
/// <param name="LastOutcome">How its last run ended (kebab-case), or null when it never ran.</param>
/// <param name="LastRun">When its last run finished, or null.</param>
/// <param name="OpenItem">Its last published review item, or null.</param>
public sealed record DashboardMission(string Id, string Title, string Schedule, string? LastOutcome, DateTimeOffset? LastRun, string? OpenItem);

/// <summary>A ticked box.</summary>
/// <param name="MissionId">The mission asked for.</param>
/// <param name="RequestedBy">Who ticked it (the last editor of the page), or null when unknown.</param>
/// <param name="Trusted">True when every edit since loops last wrote the page was made by a trusted person.</param>
public sealed record DashboardRequest(string MissionId, string? RequestedBy, bool Trusted);
