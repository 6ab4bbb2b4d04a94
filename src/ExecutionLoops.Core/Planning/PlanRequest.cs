namespace ExecutionLoops.Planning;

/// <summary>What the user asked to run.</summary>
/// <param name="Missions">Missions named with <c>--mission</c>: these, and only these, run (manual ones included).</param>
/// <param name="All">Run every delegated mission regardless of schedule.</param>
public sealed record PlanRequest(IReadOnlyList<string> Missions, bool All)
{
    /// <summary>Only what the schedules say.</summary>
    public static PlanRequest Scheduled { get; } = new([], false);
}
