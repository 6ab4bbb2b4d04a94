
namespace ExecutionLoops.Reporting;

/// <summary>When a stage of a mission ran.</summary>
public sealed record StageTiming(MissionStage Stage, DateTimeOffset Started, DateTimeOffset Finished, bool Succeeded)
{
    /// <summary>Wall time of the stage.</summary>
    public TimeSpan Duration => Finished - Started;
}
