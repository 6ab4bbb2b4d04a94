using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using Spectre.Console;

namespace ExecutionLoops.Cli.Rendering;

/// <summary>Prints diagnostics in the canonical form, coloured by severity when the console allows.</summary>
internal static class DiagnosticPrinter
{
    public static void Print(IAnsiConsole console, IEnumerable<Diagnostic> diagnostics, IHostReporter? host = null)
    {
        foreach (var diagnostic in diagnostics)
        {
            host?.Annotate(diagnostic);
            var colour = diagnostic.IsError ? "red" : "yellow";
            // Profile width is irrelevant here: canonical lines must never wrap, or IDEs stop recognising them.
            console.Profile.Width = Math.Max(console.Profile.Width, 4096);
            console.MarkupLine($"[{colour}]{Markup.Escape(diagnostic.ToString())}[/]");
        }
    }
}
