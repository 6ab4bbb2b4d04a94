using System.CommandLine;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops resume</c>: finishes an interrupted delegation run from its journal.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json("the run report");
        var command = new Command("resume", "Finish the interrupted delegation run (killed, crashed, machine restarted) from its journal: no lost commit, no duplicate review item.") { DelegateCommand.Report, json, DelegateCommand.Wait };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            RunOutput.MaskSecrets(context);
            var observer = new ConsoleRunObserver(context, engine.Clock);
            var report = await observer.ShowAsync(() => engine.ResumeAsync(new DelegationOptions(false, DelegateCommand.LockWait(parse)), observer, cancellationToken));
            if (report is null)
            {
                context.Error.WriteLine("Nothing to resume: every run in the journal finished.");
                return ExitCodes.Success;
            }

            return DelegateCommand.Finish(context, engine, report, parse, json);
        });
        return command;
    }
}
