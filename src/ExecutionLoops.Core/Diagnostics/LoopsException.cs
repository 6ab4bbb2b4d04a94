namespace ExecutionLoops.Diagnostics;

/// <summary>
/// An expected failure carrying a user-facing diagnostic and the exit code it maps to.
/// Hosts print <see cref="Diagnostics"/> and exit with <see cref="ExitCode"/>; no stack trace unless verbose.
/// </summary>
public sealed class LoopsException : Exception
{
    /// <summary>Creates the exception from one or more diagnostics.</summary>
    public LoopsException(int exitCode, IReadOnlyList<Diagnostic> diagnostics, Exception? inner = null)
        : base(diagnostics.Count > 0 ? diagnostics[0].ToString() : "ExecutionLoops failed.", inner)
    {
        ExitCode = exitCode;
        Diagnostics = diagnostics;
    }

    /// <summary>Creates the exception from one diagnostic.</summary>
    public LoopsException(int exitCode, Diagnostic diagnostic, Exception? inner = null)
        : this(exitCode, [diagnostic], inner)
    {
    }

    /// <summary>The exit code a host should use.</summary>
    public int ExitCode { get; }

    /// <summary>What went wrong.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>An infrastructure failure (exit code 3).</summary>
    public static LoopsException Infrastructure(string code, string message, string? hint = null, Exception? inner = null, string? path = null) =>
        new(ExitCodes.Infrastructure, Diagnostic.Error(code, message, path, hint: hint), inner);

    /// <summary>An invalid-input failure (exit code 2).</summary>
    public static LoopsException InvalidInput(string code, string message, string? hint = null, string? path = null, int line = 0, int column = 0) =>
        new(ExitCodes.InvalidInput, Diagnostic.Error(code, message, path, line, column, hint));
}
