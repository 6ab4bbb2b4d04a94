using System.CommandLine;

namespace ExecutionLoops.Cli;

/// <summary>Options every command understands.</summary>
internal static class GlobalOptions
{
    public static Option<string> Repo { get; } = new("--repo")
    {
        Description = "The repository to work on (default: the current directory).",
        DefaultValueFactory = _ => ".",
        Recursive = true,
    };

    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print stack traces for unexpected errors.",
        Recursive = true,
    };

    public static Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "Plain output without colours (also when NO_COLOR is set).",
        Recursive = true,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Write {what} as one JSON document to stdout (progress goes to stderr)." };

    public static string RepoPath(CliContext context, ParseResult parse) =>
        Path.GetFullPath(Path.Combine(context.WorkingDirectory, parse.GetValue(Repo) ?? "."));
}
