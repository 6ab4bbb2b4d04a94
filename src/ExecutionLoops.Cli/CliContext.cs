using ExecutionLoops.Reporting;
using ExecutionLoops.Security;
using Spectre.Console;

namespace ExecutionLoops.Cli;

/// <summary>
/// Where a command writes and how: results to <see cref="Out"/>, progress and problems to <see cref="Err"/>.
/// Tests create it over string writers; the real tool over the process console.
/// </summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive, bool color, string workingDirectory, IHostReporter? host = null)
    {
        Host = host ?? LocalHostReporter.Instance;
        Output = output;
        Error = error;
        Interactive = interactive;
        WorkingDirectory = workingDirectory;
        // Made on first use: the pair commands print plain text, and a call that never needs Spectre never loads it.
        _out = new Lazy<IAnsiConsole>(() => Create(output, interactive, color));
        _err = new Lazy<IAnsiConsole>(() => Create(error, interactive, color));
    }

    private readonly Lazy<IAnsiConsole> _out;
    private readonly Lazy<IAnsiConsole> _err;

    /// <summary>Plain standard output (JSON goes here, nothing else with --json).</summary>
    public TextWriter Output { get; }

    /// <summary>Plain standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Rich standard output.</summary>
    public IAnsiConsole Out => _out.Value;

    /// <summary>Rich standard error.</summary>
    public IAnsiConsole Err => _err.Value;

    /// <summary>Times the phases of a call on standard error when <c>LOOPS_TRACE=1</c>; disabled otherwise.</summary>
    public Diagnostics.PhaseTrace Trace { get; init; } = Diagnostics.PhaseTrace.Disabled;

    /// <summary>True when the pair server runs the command for a client (no process of its own started for it).</summary>
    public bool Served { get; init; }

    /// <summary>True in a terminal a person watches: live progress instead of plain lines.</summary>
    public bool Interactive { get; }

    /// <summary>The CI host's extra channels (annotations, masks, groups, summary, outputs).</summary>
    public IHostReporter Host { get; }

    /// <summary>The directory the tool was started in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The parts registered beside Core's own: the GitHub review target, plus whatever a test or host adds.</summary>
    public Execution.LoopsExtensions Extensions { get; init; } = CliEngine.Extensions;

    /// <summary>The context of the real process console.</summary>
    public static CliContext ForConsole(bool noColor)
    {
        var ci = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD"));
        var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && !ci;
        var color = !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && !Console.IsErrorRedirected;
        // Everything printed passes the one masker, whatever produced it.
        var output = new MaskingTextWriter(Console.Out, SecretMasker.Process);
        var error = new MaskingTextWriter(Console.Error, SecretMasker.Process);
        return new CliContext(output, error, interactive, color, Environment.CurrentDirectory, CliHosts.Reporters.Select(HostEnvironment.OfProcess(Console.Error)))
        {
            Trace = Diagnostics.PhaseTrace.FromEnvironment(error),
        };
    }

    private static IAnsiConsole Create(TextWriter writer, bool interactive, bool color)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });

        // Logs and captured output have no terminal width; 80 columns would wrap every table.
        if (!interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
