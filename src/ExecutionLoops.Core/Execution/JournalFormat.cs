using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Execution;

/// <summary>
/// The version of the journal's line format, written on the run-started line. A run is resumed only from a journal
/// in the current format; finished runs of any format still count for planning (their mission reports did not change).
/// </summary>
internal static class JournalFormat
{
    /// <summary>
    /// 2: typed stage records (<see cref="StageRecord"/>, <see cref="RunStartRecord"/>, <see cref="AttemptRecord"/>).
    /// 1 (no <c>format</c> field): stage results as string dictionaries (<c>data</c>) holding JSON inside JSON.
    /// </summary>
    public const int Current = 2;

    /// <summary>The format a journal was written in, from its run-started entry.</summary>
    public static int Of(IReadOnlyList<JournalEntry> entries) =>
        entries.FirstOrDefault(e => e.Type == JournalEntryType.RunStarted)?.Format ?? 1;

    /// <summary>Stops (EL2041) when the unfinished run in <paramref name="path"/> was written in another format.</summary>
    /// <exception cref="LoopsException">EL2041, naming the file and how to get past it.</exception>
    public static void EnsureResumable(IReadOnlyList<JournalEntry> entries, string path)
    {
        var format = Of(entries);
        if (format == Current)
        {
            return;
        }

        var writer = format < Current ? "an earlier" : "a later";
        throw LoopsException.Infrastructure(
            DiagnosticCodes.JournalFormatUnsupported,
            $"The interrupted run '{Path.GetFileNameWithoutExtension(path)}' was written by {writer} version of loops (journal format {format}; this version resumes format {Current}).",
            $"Finish it with the version that started it ('loops resume'), or abandon it by renaming the file to '{Path.GetFileName(path)}.abandoned'; its mission branches and review items are unaffected, and the next 'loops delegate' runs the missions afresh.",
            path: path);
    }
}
