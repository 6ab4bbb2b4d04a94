using System.Text;
using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.Execution;

/// <summary>
/// The append-only journal of one run (<c>journal/&lt;run&gt;.jsonl</c> under the state directory).
/// Every entry is flushed through to the disk before the caller moves on.
/// </summary>
internal sealed class RunJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    private RunJournal(string path, string runId, FileStream stream, TimeProvider clock)
    {
        Path = path;
        RunId = runId;
        _stream = stream;
        _clock = clock;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>The run it belongs to.</summary>
    public string RunId { get; }

    /// <summary>Opens (creating if needed) the journal of <paramref name="runId"/> for appending.</summary>
    /// <exception cref="LoopsException">EL2011 when the state directory cannot be written.</exception>
    public static RunJournal Open(StatePaths state, string runId, TimeProvider clock)
    {
        var path = System.IO.Path.Combine(state.Journal, $"{runId}.jsonl");
        try
        {
            Workspace.IgnoredFolder.Ensure(state.Root);
            Directory.CreateDirectory(state.Journal);
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return new RunJournal(path, runId, stream, clock);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StateUnwritable(state.Journal, ex);
        }
    }

    /// <summary>Appends an entry stamped with the current time and flushes it to disk.</summary>
    public void Append(JournalEntry entry)
    {
        var stamped = entry with { At = _clock.GetUtcNow(), Run = RunId };
        // Nothing unmasked is ever stored: the line passes the masker (values were masked at their source too).
        var line = SecretMasker.Process.Mask(JsonSerializer.Serialize(stamped, JournalJsonContext.Journal.JournalEntry)) + "\n";
        lock (_gate)
        {
            try
            {
                _stream.Write(Encoding.UTF8.GetBytes(line));
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                throw StateUnwritable(Path, ex);
            }
        }
    }

    /// <summary>
    /// Reads a journal of any format (a format-1 line reads as its type, run, mission and report). A torn last line (the
    /// process died mid-write) is ignored; damage elsewhere is an error.
    /// </summary>
    public static IReadOnlyList<JournalEntry> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var entries = new List<JournalEntry>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize(lines[i], JournalJsonContext.Journal.JournalEntry)
                    ?? throw new JsonException("empty entry"));
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // The run was killed while writing this line; the step it described never completed.
            }
            catch (JsonException ex)
            {
                throw new LoopsException(
                    ExitCodes.Infrastructure,
                    Diagnostic.Error(DiagnosticCodes.JournalCorrupt, $"The run journal is damaged: {ex.Message}", path, i + 1, 1, "Move the file aside to start afresh; the mission branches and review items are unaffected."));
            }
        }

        return entries;
    }

    /// <summary>All journal files, oldest first (run ids sort by time).</summary>
    public static IReadOnlyList<string> All(StatePaths state) =>
        Directory.Exists(state.Journal)
            ? Directory.GetFiles(state.Journal, "*.jsonl").Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The newest run that started but never finished, or null.</summary>
    public static string? FindUnfinished(StatePaths state)
    {
        foreach (var path in All(state).Reverse())
        {
            var entries = Read(path);
            if (entries.Count > 0 && entries.All(e => e.Type != JournalEntryType.RunFinished))
            {
                return entries[0].Run;
            }
        }

        return null;
    }

    /// <summary>
    /// When each mission last finished successfully (published with every gate passed, or nothing to change), from
    /// all journals. A draft published because gates failed is not a success: the schedule runs it again.
    /// </summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> LastSuccesses(StatePaths state)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var path in All(state))
        {
            foreach (var entry in Read(path))
            {
                if (entry is { Type: JournalEntryType.MissionFinished, Mission: { } mission, Report: { Outcome: MissionOutcome.Published or MissionOutcome.NoChanges } report } && !report.Gates.Any(g => g.Status == Gates.GateStatus.Failed))
                {
                    result[mission] = entry.At;
                }
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    internal static LoopsException StateUnwritable(string path, Exception inner) =>
        LoopsException.Infrastructure(
            DiagnosticCodes.StateUnwritable,
            $"Cannot write the state directory '{path}': {inner.Message}",
            "Check free disk space and permissions, or set 'state-dir' in .loops/config.yml.",
            inner,
            path);
}
