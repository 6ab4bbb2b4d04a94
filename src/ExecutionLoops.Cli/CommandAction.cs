using System.CommandLine;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Cli;

/// <summary>
/// The one error boundary of every command: expected failures print their EL diagnostics and map to
/// the documented exit codes; anything else is an internal error, with a stack trace only under --verbose.
/// </summary>
internal static class CommandAction
{
    public const int Cancelled = 130;

    public static void Set(Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> handler) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            try
            {
                return await handler(parse, cancellationToken);
            }
            catch (LoopsException ex)
            {
                DiagnosticPrinter.Print(context.Err, ex.Diagnostics, context.Host);
                if (verbose)
                {
                    context.Error.WriteLine(ex);
                }

                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine("loops: cancelled.");
                return Cancelled;
            }
            catch (Exception ex)
            {
                context.Error.WriteLine($"loops: error EL0001: internal error: {ex.Message} {(verbose ? "" : "(run with --verbose for details)")}".TrimEnd());
                if (verbose)
                {
                    context.Error.WriteLine(ex);
                }

                return ExitCodes.Infrastructure;
            }
        });
}
