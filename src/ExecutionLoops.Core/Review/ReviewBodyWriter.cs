// TEMP until the review helper's writer lands.
using ExecutionLoops.Briefs;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Review;

/// <summary>TEMP.</summary>
public static class ReviewBodyWriter
{
    /// <summary>TEMP.</summary>
    public static string Write(MissionBrief brief, IReadOnlyList<GateResult> gates, DiffStat diff, IReadOnlyList<StageTiming> stages, string runId) => brief.Title + runId + gates.Count + diff.Files + stages.Count;
}
