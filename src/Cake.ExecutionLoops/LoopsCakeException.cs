using Cake.Core;

namespace Cake.ExecutionLoops;

/// <summary>
/// What an ExecutionLoops failure carries. Cake's <see cref="CakeException"/> is sealed, so the aliases raise it
/// with the canonical line(s) as message (<c>path(line,col): error EL1004: …</c>), the exit code <c>loops</c>
/// returned as <see cref="CakeException.ExitCode"/> (1 a mission failed, 2 bad input, 3 infrastructure; Cake exits
/// with it), and the EL code, the diagnostics and a failed run's report in <see cref="Exception.Data"/>, read
/// back through these methods.
/// </summary>
public static class LoopsCakeException
{
    private const string CodeKey = "ExecutionLoops.Code";
    private const string DiagnosticsKey = "ExecutionLoops.Diagnostics";
    private const string RunKey = "ExecutionLoops.Run";

    /// <summary>The EL code of the first error (e.g. <c>EL1004</c>), or null when the exception did not come from ExecutionLoops.</summary>
    /// <param name="exception">The exception an alias raised.</param>
    /// <returns>The code, or null.</returns>
    public static string? LoopsCode(this CakeException exception) => exception?.Data[CodeKey] as string;

    /// <summary>Every error reported, empty when the exception did not come from ExecutionLoops.</summary>
    /// <param name="exception">The exception an alias raised.</param>
    /// <returns>The diagnostics.</returns>
    public static IReadOnlyList<LoopsDiagnostic> LoopsDiagnostics(this CakeException exception) =>
        exception?.Data[DiagnosticsKey] as IReadOnlyList<LoopsDiagnostic> ?? [];

    /// <summary>The run's report when a delegation run failed missions (EL1052); null otherwise.</summary>
    /// <param name="exception">The exception an alias raised.</param>
    /// <returns>The run, or null.</returns>
    public static LoopsRunResult? LoopsRun(this CakeException exception) => exception?.Data[RunKey] as LoopsRunResult;

    internal static CakeException Create(int exitCode, string code, IReadOnlyList<LoopsDiagnostic> diagnostics, LoopsRunResult? run = null)
    {
        var message = diagnostics.Count == 0 ? $"loops: error {code}" : string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
        var exception = new CakeException(exitCode, message);
        exception.Data[CodeKey] = code;
        exception.Data[DiagnosticsKey] = diagnostics;
        if (run is not null)
        {
            exception.Data[RunKey] = run;
        }

        return exception;
    }
}
