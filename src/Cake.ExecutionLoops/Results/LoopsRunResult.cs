namespace Cake.ExecutionLoops;

/// <summary>What a delegation run did: one <see cref="LoopsMissionResult"/> per mission that ran.</summary>
public sealed record LoopsRunResult
{
    /// <summary>The run's id (the journal's and the state folder's name).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The repository's root.</summary>
    public string Repository { get; init; } = "";

    /// <summary>When the run started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>True for a dry run (planned only).</summary>
    public bool DryRun { get; init; }

    /// <summary>True when the run finished an interrupted earlier run instead of starting missions.</summary>
    public bool Resumed { get; init; }

    /// <summary>Each mission's result, in run order.</summary>
    public IReadOnlyList<LoopsMissionResult> Missions { get; init; } = [];

    /// <summary>The missions that failed (toil, required gate, or an infrastructure error).</summary>
    public IEnumerable<LoopsMissionResult> Failed => Missions.Where(m => m.Failed);

    /// <summary>The mission with this id, or null when it did not run.</summary>
    public LoopsMissionResult? this[string missionId] => Missions.FirstOrDefault(m => m.MissionId == missionId);
}
