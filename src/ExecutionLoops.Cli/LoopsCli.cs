using System.CommandLine;
using ExecutionLoops.Cli.Commands;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Cli;

/// <summary>The <c>loops</c> command line: builds the command tree and runs it against a <see cref="CliContext"/>.</summary>
internal static class LoopsCli
{
    public const string Description = """
        ExecutionLoops: delegate routine .NET toil to mission briefs behind quality gates, or pair live with an AI assistant.

        Exit codes: 0 success, 1 a mission or gate failed, 2 invalid input (briefs, config, arguments), 3 infrastructure failure (git, file system, network).
        """;

    public static async Task<int> RunAsync(string[] args, CliContext? context = null, CancellationToken cancellationToken = default)
    {
        context ??= CliContext.ForConsole(args.Contains("--no-color"));
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                context.Error.WriteLine($"loops: error {DiagnosticCodes.InvalidArgument}: {error.Message}");
            }

            context.Error.WriteLine("Run 'loops --help' (or 'loops <command> --help') for usage.");
            return ExitCodes.InvalidInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        finally
        {
            // The console writers hold an unfinished last line until its end (the masker needs whole lines): pass it on.
            await context.Output.FlushAsync(cancellationToken);
            await context.Error.FlushAsync(cancellationToken);
        }
    }

    // Options are shared instances; building trees one at a time keeps their parent lists consistent when tests run in parallel.
    private static readonly Lock BuildGate = new();

    private static RootCommand Build(CliContext context)
    {
        lock (BuildGate)
        {
            return BuildTree(context);
        }
    }

    private static RootCommand BuildTree(CliContext context)
    {
        var root = new RootCommand(Description)
        {
            GlobalOptions.Repo,
            GlobalOptions.Verbose,
            GlobalOptions.NoColor,
            InitCommand.Create(context),
            LintCommand.Create(context),
            SchemaCommand.Create(context),
            PlanCommand.Create(context),
            DelegateCommand.Create(context),
            ResumeCommand.Create(context),
            ReviewCommand.Create(context),
            PairCommand.Create(context),
            ReportCommand.Create(context),
            DepsCommand.Create(context),
            McpCommand.Create(context),
            FeedbackCommand.Create(context),
            DemoCommand.Create(context),
            InsightsCommand.Create(context),
            DashboardCommand.Create(context),
        };
        return root;
    }
}
