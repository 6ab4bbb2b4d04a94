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
        if (context.Trace.Enabled && !context.Served)
        {
            // The runtime's own start (host, runtime, JIT of Main) before any code of ours ran.
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            context.Trace.Record("process start", DateTime.Now - self.StartTime);
        }

        using var total = context.Trace.Start("command total");
        var parse = context.Trace.Time("command line", () => Build(context, args).Parse(args));
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
            // The pair server runs many commands in one process: none of them may hook the process's Ctrl+C and exit it; and
            // the server the MSBuild task started (--pipe) ignores a Ctrl+C meant for the build that started it.
            var invocation = new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false };
            if (context.Served || ExecutionLoops.Cli.Commands.PairServeCommand.IsDetached(args))
            {
                invocation.ProcessTerminationTimeout = null;
            }

            return await parse.InvokeAsync(invocation, cancellationToken);
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

    /// <summary>The commands, by name, in the order help lists them.</summary>
    private static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        ("init", InitCommand.Create),
        ("lint", LintCommand.Create),
        ("schema", SchemaCommand.Create),
        ("plan", PlanCommand.Create),
        ("delegate", DelegateCommand.Create),
        ("resume", ResumeCommand.Create),
        ("review", ReviewCommand.Create),
        ("pair", PairCommand.Create),
        ("report", ReportCommand.Create),
        ("deps", DepsCommand.Create),
        ("mcp", McpCommand.Create),
        ("feedback", FeedbackCommand.Create),
        ("demo", DemoCommand.Create),
        ("insights", InsightsCommand.Create),
        ("dashboard", DashboardCommand.Create),
    ];

    private static RootCommand Build(CliContext context, IReadOnlyList<string> args)
    {
        lock (BuildGate)
        {
            return BuildTree(context, args);
        }
    }

    /// <summary>
    /// The root with its commands. When the first argument names a command, only that one is built: a pair call pays
    /// for its own options, not for constructing (and JIT-compiling) every other command of the tool. Anything else
    /// (help, a typo, global options first) gets the whole tree, so help and suggestions are unchanged.
    /// </summary>
    private static RootCommand BuildTree(CliContext context, IReadOnlyList<string> args)
    {
        var root = new RootCommand(Description)
        {
            GlobalOptions.Repo,
            GlobalOptions.Verbose,
            GlobalOptions.NoColor,
        };
        var named = args.Count > 0 ? Array.FindIndex(Commands, c => c.Name == args[0]) : -1;
        foreach (var (_, create) in named >= 0 ? [Commands[named]] : Commands)
        {
            root.Add(create(context));
        }

        return root;
    }
}
