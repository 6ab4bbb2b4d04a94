namespace ExecutionLoops.Monitoring;

/// <summary>A pair session as the monitoring pages show it.</summary>
/// <param name="Id">The session id.</param>
/// <param name="Goal">Its goal (masked).</param>
/// <param name="BriefId">The pair brief it came from, if any.</param>
/// <param name="Started">When it started.</param>
/// <param name="Ended">When it ended, or null while active.</param>
/// <param name="Checkpoints">Checkpoints taken.</param>
/// <param name="Files">Files it changed (start to its last checkpoint).</param>
/// <param name="Routine">
/// The routine toil kind its whole change amounts to — <c>format</c> (whitespace only) or <c>dependencies</c> (only
/// package versions in project and props files) — or null when it did real work.
/// </param>
public sealed record PairSessionSummary(string Id, string Goal, string? BriefId, DateTimeOffset Started, DateTimeOffset? Ended, int Checkpoints, int Files, string? Routine);
