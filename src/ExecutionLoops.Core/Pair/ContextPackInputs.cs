using System.Security.Cryptography;
using System.Text;

namespace ExecutionLoops.Pair;

/// <summary>
/// The digest of everything the context pack is made of. Equal digests mean an equal pack, so a feedback call that
/// changed nothing the pack shows neither runs its git diffs nor rewrites the file.
/// </summary>
internal static class ContextPackInputs
{
    /// <summary>Bumped whenever <see cref="ContextPackWriter"/> changes what it writes, so an old pack is rewritten once.</summary>
    private const int Format = 3;

    /// <summary>
    /// A hex SHA-256 over the session's own fields, the snapshot's tree, the feedback, the criteria results and the budget.
    /// Checkpoints and the session's stored feedback are left out: the pack does not show them (the feedback is passed on
    /// its own). Written by hand like the session file (<see cref="PairSessionJson"/>), for the same start-up reason.
    /// </summary>
    public static string Digest(PairSession session, string tree, PairFeedback feedback, IReadOnlyList<CriterionResult> criteria, int budget)
    {
        var text = PairSessionJson.WriteCompact(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            writer.WriteString("id", session.Id);
            writer.WriteString("goal", session.Goal);
            PairSessionJson.WriteStrings(writer, "criteria", session.Criteria);
            writer.WriteString("timebox", session.Timebox is { } timebox ? PairSessionJson.Duration(timebox) : "");
            writer.WriteString("started", session.Started);
            writer.WriteString("startSnapshot", session.StartSnapshot);
            PairSessionJson.WriteNotes(writer, "notes", session.Notes);
            writer.WriteString("tree", tree);
            writer.WritePropertyName("feedback");
            PairSessionJson.WriteFeedback(writer, feedback);
            writer.WriteStartArray("results");
            foreach (var result in criteria)
            {
                writer.WriteStartObject();
                writer.WriteString("criterion", result.Criterion);
                writer.WriteString("status", result.Status.ToString());
                writer.WriteString("detail", result.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("budget", budget);
            writer.WriteEndObject();
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
