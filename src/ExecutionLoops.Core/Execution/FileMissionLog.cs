using ExecutionLoops.Diagnostics;
using ExecutionLoops.Security;
namespace ExecutionLoops.Execution;

/// <summary>A mission log appended to <c>runs/&lt;run&gt;/&lt;mission&gt;.log</c>, secrets masked, safe across threads.</summary>
internal sealed class FileMissionLog : IMissionLog, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly SecretMasker _masker;
    private readonly Lock _gate = new();

    /// <summary>Opens (appending) the log file.</summary>
    public FileMissionLog(string path, SecretMasker masker)
    {
        Path = path;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.StateUnwritable, $"Cannot write the mission log '{path}': {ex.Message}", "Make the state folder (.loops/state, or state-dir in .loops/config.yml) writable for the user running loops.", ex);
        }
        _masker = masker;
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Write(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(_masker.Mask(line));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
