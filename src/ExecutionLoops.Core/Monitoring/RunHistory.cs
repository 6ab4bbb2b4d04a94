using System.Text;
using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// The run history: <c>history/runs.jsonl</c> under the state directory, one JSON line per mission run, appended to and
/// never edited in place. A later line for the same run and mission supersedes the earlier one (a resumed run, a review
/// outcome that came later). It is derived from the run journals and the review queue, so it survives a killed run
/// (the journal says how far it got) and is rebuilt from the journals when missing or damaged — never the other way
/// round. Compaction rewrites it with the newest line per mission run, at most <see cref="DefaultMaxRecords"/> of them.
/// </summary>
/// <param name="state">The state directory.</param>
/// <param name="masker">Masks everything stored.</param>
/// <param name="maxRecords">The most mission runs kept (tests lower it).</param>
internal sealed class RunHistory(StatePaths state, SecretMasker masker, int maxRecords = RunHistory.DefaultMaxRecords)
{
    /// <summary>The most mission runs kept by default; older ones are dropped when the file is compacted.</summary>
    public const int DefaultMaxRecords = 5000;

    /// <summary>The most mission runs kept.</summary>
    public int MaxRecords => maxRecords;

    /// <summary>Compact when the file holds this many superseded lines (or more lines than records allowed).</summary>
    private const int SupersededLimit = 500;

    private readonly List<Diagnostic> _warnings = [];

    // Lines in the file as last read or written: with the record count, it says how many are superseded.
    private int _lineCount;

    /// <summary>The history file.</summary>
    public string FilePath => Path.Combine(Folder, "runs.jsonl");

    private string Folder => Path.Combine(state.Root, "history");

    /// <summary>What went wrong on the way (a damaged history rebuilt, a journal that could not be read).</summary>
    public IReadOnlyList<Diagnostic> Warnings => _warnings;

    /// <summary>
    /// Brings the history up to date with the journals and the review queue and returns every mission run, oldest
    /// first: runs not yet recorded (or whose journal grew since, as when a killed run was resumed) are derived from
    /// their journals, and review outcomes that changed are appended.
    /// </summary>
    public IReadOnlyList<MissionRunRecord> Sync()
    {
        var current = Load();
        var reviews = ReviewHistoryReader.Load(state.Reviews);
        var derived = new List<MissionRunRecord>();
        var recorded = current.Values.Where(r => r.Source == "journal").GroupBy(r => r.Run, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(r => r.JournalLength), StringComparer.Ordinal);
        // At capacity, runs older than the oldest kept one were compacted away on purpose: do not derive them again.
        var floor = current.Count >= MaxRecords ? current.Values.Select(r => r.Run).Min(StringComparer.Ordinal) : null;
        foreach (var journal in RunJournal.All(state))
        {
            var run = Path.GetFileNameWithoutExtension(journal);
            if (floor is not null && string.CompareOrdinal(run, floor) < 0)
            {
                continue;
            }

            if (recorded.TryGetValue(run, out var length) && length == new FileInfo(journal).Length)
            {
                continue;
            }

            try
            {
                derived.AddRange(JournalHistoryReader.Read(journal, masker));
            }
            catch (LoopsException ex)
            {
                _warnings.Add(Diagnostic.Warning(DiagnosticCodes.HistoryJournalSkipped, $"The run history skips run '{run}': {ex.Diagnostics[0].Message}", journal, 0, 0, "Move the damaged journal aside (its branches and review items are unaffected); the history keeps every other run."));
            }
        }

        var merged = new Dictionary<(string, string), MissionRunRecord>(current);
        foreach (var record in derived)
        {
            merged[(record.Run, record.Mission)] = record;
        }

        var changed = new List<MissionRunRecord>();
        foreach (var (key, record) in merged.ToList())
        {
            var reviewed = reviews.Apply(record, masker);
            merged[key] = reviewed;
            if (!current.TryGetValue(key, out var before) || Serialize(before) != Serialize(reviewed))
            {
                changed.Add(reviewed);
            }
        }

        Append(changed);
        CompactIfNeeded(merged);
        return Ordered(merged.Values);
    }

    /// <summary>
    /// Adds the missions of merged per-job reports (<c>loops report merge</c> in CI, where each job had its own state
    /// folder): a mission run the journals here already hold keeps its journal record.
    /// </summary>
    /// <returns>How many mission runs were added or updated.</returns>
    public int AddReports(IEnumerable<RunReport> reports)
    {
        var current = Load();
        var reviews = ReviewHistoryReader.Load(state.Reviews);
        var added = new List<MissionRunRecord>();
        foreach (var report in reports.Where(r => !r.DryRun))
        {
            foreach (var mission in report.Missions.Where(m => m.Outcome != MissionOutcome.DryRun))
            {
                if (current.TryGetValue((report.RunId, mission.MissionId), out var known) && known.Source == "journal")
                {
                    continue;
                }

                var record = reviews.Apply(JournalHistoryReader.FromReport(report.RunId, mission, report.Started, null, masker) with { Source = "report" }, masker);
                if (known is null || Serialize(known) != Serialize(record))
                {
                    added.Add(record);
                    current[(record.Run, record.Mission)] = record;
                }
            }
        }

        Append(added);
        CompactIfNeeded(current);
        return added.Count;
    }

    private Dictionary<(string, string), MissionRunRecord> Load()
    {
        var records = new Dictionary<(string, string), MissionRunRecord>();
        if (!File.Exists(FilePath))
        {
            return records;
        }

        var lines = File.ReadAllLines(FilePath);
        _lineCount = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                var record = JsonSerializer.Deserialize<MissionRunRecord>(lines[i], LoopsJson.Compact) ?? throw new JsonException("empty line");
                records[(record.Run, record.Mission)] = record;
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // Killed mid-append: the run is still in its journal and is derived again.
            }
            catch (JsonException ex)
            {
                _warnings.Add(Diagnostic.Warning(DiagnosticCodes.HistoryRebuilt, $"The run history was damaged ({ex.Message}); it is rebuilt from the run journals.", FilePath, i + 1, 1, "Nothing to do: the journals are the source of truth. Runs known only from merged reports come back with the next 'loops report merge'."));
                Discard();
                return [];
            }
        }

        return records;
    }

    private void Discard()
    {
        _lineCount = 0;
        try
        {
            File.Move(FilePath, FilePath + ".damaged", overwrite: true);
        }
        catch (IOException)
        {
            File.Delete(FilePath);
        }
    }

    private void Append(IReadOnlyList<MissionRunRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var record in Ordered(records))
        {
            text.Append(Serialize(record)).Append('\n');
        }

        try
        {
            Workspace.IgnoredFolder.Ensure(state.Root);
            Directory.CreateDirectory(Folder);
            using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
            _lineCount += records.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RunJournal.StateUnwritable(Folder, ex);
        }
    }

    /// <summary>Rewrites the file with the newest line per mission run once enough lines are superseded, keeping it bounded.</summary>
    private void CompactIfNeeded(Dictionary<(string, string), MissionRunRecord> records)
    {
        if (_lineCount - records.Count < SupersededLimit && records.Count <= MaxRecords)
        {
            return;
        }

        var kept = Ordered(records.Values).TakeLast(MaxRecords).ToList();
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, string.Concat(kept.Select(r => Serialize(r) + "\n")));
        // A rename replaces the file whole: a reader sees the old history or the new one, never half of either.
        File.Move(temporary, FilePath, overwrite: true);
        _lineCount = kept.Count;
        records.Clear();
        foreach (var record in kept)
        {
            records[(record.Run, record.Mission)] = record;
        }
    }

    private string Serialize(MissionRunRecord record) => masker.Mask(JsonSerializer.Serialize(record, LoopsJson.Compact));

    private static List<MissionRunRecord> Ordered(IEnumerable<MissionRunRecord> records) =>
        records.OrderBy(r => r.Started).ThenBy(r => r.Run, StringComparer.Ordinal).ThenBy(r => r.Mission, StringComparer.Ordinal).ToList();
}
