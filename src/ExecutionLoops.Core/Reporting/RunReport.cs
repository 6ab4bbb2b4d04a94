using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Reporting;

/// <summary>The result of one delegation run: the source of the console summary, the Markdown and JSON reports.</summary>
public sealed record RunReport
{
    /// <summary>The run id (also the <c>Loops-Run:</c> trailer).</summary>
    public required string RunId { get; init; }

    /// <summary>The repository root.</summary>
    public required string Repository { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset Finished { get; init; }

    /// <summary>True when the run was a dry run.</summary>
    public bool DryRun { get; init; }

    /// <summary>True when this run resumed an interrupted one.</summary>
    public bool Resumed { get; init; }

    /// <summary>Each mission's report, in run order.</summary>
    public IReadOnlyList<MissionReport> Missions { get; init; } = [];

    /// <summary>Warnings about the run that do not change its outcome (a notification that could not be delivered).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>The process exit code the run maps to.</summary>
    public int ExitCode => Missions.Any(m => m.Outcome == MissionOutcome.Errored) ? ExitCodes.Infrastructure
        : Missions.Any(m => m.Failed) ? ExitCodes.MissionFailed
        : ExitCodes.Success;
}
