namespace ExecutionLoops.Pair;

/// <summary>What ending a session produced.</summary>
/// <param name="Session">The ended session.</param>
/// <param name="RecordPath">The session record.</param>
/// <param name="Drafts">Drafted follow-up mission briefs.</param>
/// <param name="Criteria">Each criterion's final status.</param>
public sealed record PairEndResult(PairSession Session, string RecordPath, IReadOnlyList<string> Drafts, IReadOnlyList<CriterionResult> Criteria);
