using System.Diagnostics;
using ExecutionLoops.Cli;

namespace ExecutionLoops.Cli.Tests.TestSupport;

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>Runs the real `loops` command line: in-process over string writers, or as a child process.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    public static Task<CliResult> RunAsync(string workingDirectory, ExecutionLoops.Reporting.IHostReporter? host, params string[] args) =>
        RunAsync(workingDirectory, host, null, args);

    /// <summary>Runs the command line with <paramref name="extensions"/> registered beside the CLI's own parts.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, ExecutionLoops.Reporting.IHostReporter? host, ExecutionLoops.Execution.LoopsExtensions? extensions, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false, color: false, workingDirectory, host) { Extensions = extensions ?? CliEngine.Extensions };
        var exit = await LoopsCli.RunAsync(args, context);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The built loops.dll next to the tests.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "loops.dll");

    /// <summary>
    /// loops.dll in the CLI project's own output, with all of its dependencies beside it. The copy next to the
    /// tests lacks the assemblies this test project takes from ASP.NET Core's shared framework (logging), which the
    /// MCP server needs at run time.
    /// </summary>
    public static string StandaloneToolPath
    {
        get
        {
            var parts = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            var configuration = parts[^2];
            return Path.Combine(ExecutionLoops.Core.Tests.TestSupport.TempGitRepo.SourceRoot(), "src", "ExecutionLoops.Cli", "bin", configuration, parts[^1], "loops.dll");
        }
    }

    /// <summary>Starts `dotnet loops.dll …` as a real process (for kill -9 and concurrency tests).</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Start(workingDirectory, environment, apphost: false, args);

    /// <summary>
    /// Starts the tool; with <paramref name="apphost"/> through its native launcher, so no dotnet host sits
    /// beside it (the runtime resolves the dotnet directory of the launcher first, then PATH).
    /// </summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, bool apphost, params string[] args)
    {
        var start = new ProcessStartInfo(apphost ? Path.Combine(AppContext.BaseDirectory, "loops") : DotnetHost) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (!apphost)
        {
            start.ArgumentList.Add(ToolPath);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A pair call would start the warm pair server for the next one: only where a test asks for it.
        start.Environment[ExecutionLoops.Serving.PairServerProtocol.ServerVariable] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    public static async Task<CliResult> RunProcessAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, bool apphost, params string[] args)
    {
        using var process = Start(workingDirectory, environment, apphost, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>The dotnet host running these tests, by absolute path (tests may empty PATH).</summary>
    public static string DotnetHost => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
