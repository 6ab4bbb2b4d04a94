using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ExecutionLoops.Pair;

/// <summary>
/// The digest of everything the context pack is made of. Equal digests mean an equal pack, so a feedback call that
/// changed nothing the pack shows neither runs its git diffs nor rewrites the file.
/// </summary>
internal static class ContextPackInputs
{
    /// <summary>Bumped whenever <see cref="ContextPackWriter"/> changes what it writes, so an old pack is rewritten once.</summary>
    private const int Format = 2;

    /// <summary>A hex SHA-256 over the session's own fields, the snapshot's tree, the feedback, the criteria results and the budget.</summary>
    public static string Digest(PairSession session, string tree, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, int budget)
    {
        var inputs = new Inputs(Format, session.Id, session.Goal, session.Criteria, session.Timebox, session.Started, session.StartSnapshot, session.Notes, tree, feedback, criteria, budget);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(inputs, PairJsonContext.Digest.Inputs));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>What the digest covers. Checkpoints and the session's stored feedback are left out: the pack does not show them (the feedback is passed on its own).</summary>
    internal sealed record Inputs(
        int Format,
        string Id,
        string Goal,
        IReadOnlyList<string> Criteria,
        TimeSpan? Timebox,
        DateTimeOffset Started,
        string StartSnapshot,
        IReadOnlyList<PairNote> Notes,
        string Tree,
        PairFeedback Feedback,
        IReadOnlyList<CriterionResult> Results,
        int Budget);
}
