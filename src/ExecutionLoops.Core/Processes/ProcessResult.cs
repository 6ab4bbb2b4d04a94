namespace ExecutionLoops.Processes;

/// <summary>What a finished (or killed) process left behind.</summary>
/// <param name="ExitCode">The exit code; -1 when it was killed.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="TimedOut">True when the time limit killed its process tree.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, bool TimedOut)
{
    /// <summary>Exit code 0 and not timed out.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>stdout and stderr together.</summary>
    public string CombinedOutput => StandardError.Length == 0 ? StandardOutput : $"{StandardOutput}{StandardError}";

    /// <summary>The last <paramref name="lines"/> lines of the combined output, for reports.</summary>
    public string Tail(int lines = 30) => TextTail.Of(CombinedOutput, lines);
}
