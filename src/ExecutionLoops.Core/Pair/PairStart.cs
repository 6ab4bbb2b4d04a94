namespace ExecutionLoops.Pair;

/// <summary>How to start a pair session.</summary>
/// <param name="Goal">The goal (required unless a pair brief gives it).</param>
/// <param name="Criteria">Success criteria.</param>
/// <param name="Timebox">The time box text (15m, 1h30m …), or null.</param>
/// <param name="BriefId">A <c>loop: pair</c> brief supplying goal, criteria and time box.</param>
/// <param name="SessionName">An explicit session name (allows a second session beside an active one).</param>
public sealed record PairStart(string? Goal, IReadOnlyList<string> Criteria, string? Timebox, string? BriefId, string? SessionName);
