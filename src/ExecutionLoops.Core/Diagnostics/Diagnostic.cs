namespace ExecutionLoops.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Reported, but does not fail the command.</summary>
    Warning,

    /// <summary>Fails the command (exit code 2 for input problems).</summary>
    Error,
}

/// <summary>
/// One problem found in user input or in the environment, printed in the canonical
/// MSBuild/compiler form <c>path(line,col): error EL1004: message</c> so IDEs and CI hosts annotate it.
/// </summary>
/// <param name="Code">The EL code, e.g. <c>EL1004</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What is wrong, as one sentence.</param>
/// <param name="Path">The file it is about (relative to the repo when possible), or null.</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="Hint">How to fix it, as one sentence, or null.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? Path = null,
    int Line = 0,
    int Column = 0,
    string? Hint = null)
{
    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(string code, string message, string? path = null, int line = 0, int column = 0, string? hint = null) =>
        new(code, DiagnosticSeverity.Error, message, path, line, column, hint);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(string code, string message, string? path = null, int line = 0, int column = 0, string? hint = null) =>
        new(code, DiagnosticSeverity.Warning, message, path, line, column, hint);

    /// <summary>The canonical one-line form.</summary>
    public override string ToString()
    {
        var severity = IsError ? "error" : "warning";
        var location = Path is null ? "loops" : Line > 0 ? $"{Path}({Line},{Math.Max(Column, 1)})" : Path;
        var text = Hint is null ? Message : $"{Message} {Hint}";
        return $"{location}: {severity} {Code}: {text}";
    }
}
