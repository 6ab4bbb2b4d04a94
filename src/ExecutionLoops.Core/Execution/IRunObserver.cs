using ExecutionLoops.Reporting;

namespace ExecutionLoops.Execution;

/// <summary>Receives progress of a delegation run; hosts render it (live progress, CI log groups).</summary>
public interface IRunObserver
{
    /// <summary>A stage of a mission started.</summary>
    void StageStarted(string missionId, MissionStage stage);

    /// <summary>A stage of a mission finished.</summary>
    void StageFinished(string missionId, MissionStage stage, bool succeeded, string detail);

    /// <summary>A mission finished.</summary>
    void MissionFinished(MissionReport report);
}

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullRunObserver : IRunObserver
{
    /// <summary>The shared instance.</summary>
    public static NullRunObserver Instance { get; } = new();

    /// <inheritdoc />
    public void StageStarted(string missionId, MissionStage stage)
    {
    }

    /// <inheritdoc />
    public void StageFinished(string missionId, MissionStage stage, bool succeeded, string detail)
    {
    }

    /// <inheritdoc />
    public void MissionFinished(MissionReport report)
    {
    }
}
