using System.CommandLine;
using System.Diagnostics;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Monitoring;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops dashboard</c>: one self-contained HTML page of the run history, for a browser, a CI artifact or GitHub Pages.</summary>
internal static class DashboardCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--output", "-o") { Description = "The folder to write index.html into; default: the state folder's dashboard/." };
        var open = new Option<bool>("--open") { Description = "Open the page in the default browser." };
        var command = new Command("dashboard", "Write the dashboard page: missions, a timeline of runs, success and approval trends, gate failure causes, agent cost, open review items and pair sessions.") { output, open };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var folder = parse.GetValue(output) is { } given
                ? Path.GetFullPath(Path.Combine(context.WorkingDirectory, given))
                : Path.Combine(engine.Workspace.State.Root, "dashboard");
            if (File.Exists(folder))
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.DashboardOutputInvalid, $"--output '{folder}' is a file; the dashboard needs a folder for its index.html.", "Name a folder (it is created if missing), e.g. --output site/.");
            }

            var snapshot = await engine.Monitor.SnapshotAsync(cancellationToken);
            DiagnosticPrinter.Print(context.Err, snapshot.Warnings, context.Host);
            var page = Path.Combine(folder, "index.html");
            try
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(page, LoopsMonitor.Dashboard(snapshot), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.DashboardOutputInvalid, $"Cannot write '{page}': {ex.Message}", "Choose a folder you can write with --output.");
            }

            context.Output.WriteLine(page);
            if (parse.GetValue(open))
            {
                Open(context, page);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Open(CliContext context, string page)
    {
        try
        {
            // The desktop's own handler for the file (xdg-open, open, the shell): nothing is downloaded, no secret passed.
            using var process = Process.Start(new ProcessStartInfo(page) { UseShellExecute = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            DiagnosticPrinter.Print(context.Err, [Diagnostic.Warning(DiagnosticCodes.BrowserNotOpened, $"Could not open a browser: {ex.Message}", page, 0, 0, "Open the page yourself; it needs no server.")], context.Host);
        }
    }
}
