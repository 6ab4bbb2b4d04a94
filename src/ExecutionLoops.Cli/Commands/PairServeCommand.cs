using System.CommandLine;
using System.IO.Pipes;
using System.Text;
using ExecutionLoops.Briefs;
using ExecutionLoops.Cli.Serving;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// <c>loops pair serve</c>: the warm pair server the MSBuild task starts (see <see cref="PairServerHost"/>), and
/// <c>--stop</c> to end the one of this repository and tool.
/// </summary>
internal static class PairServeCommand
{
    private const string PipeOptionName = "--pipe";

    public static Command Create(CliContext context)
    {
        var idle = new Option<string>("--idle") { Description = $"Exit after this long without a request (default 10m, or {PairServerProtocol.IdleVariable})." };
        var stop = new Option<bool>("--stop") { Description = "Stop the server of this repository and tool, if one runs." };
        // Given by the MSBuild task, which computed it from the repository it builds: the server listens where the task looks.
        var pipe = new Option<string>(PipeOptionName) { Description = "The pipe's name.", Hidden = true };
        var command = new Command("serve", "Keep pair commands warm: a server for this repository, on a pipe only you can open, that runs the MSBuild targets' pair calls (dotnet build -t:Pair …) in one warm process instead of starting loops each time. The MSBuild task starts it by itself (LoopsPairServer); it exits after 10 minutes idle or when the tool changes.") { idle, stop, pipe };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var root = PairServerProtocol.RepositoryRoot(GlobalOptions.RepoPath(context, parse));
            var name = parse.GetValue(pipe) ?? PairServerProtocol.PipeName(root, typeof(PairServeCommand).Assembly.Location);
            if (parse.GetValue(stop))
            {
                var pid = await StopAsync(name, cancellationToken);
                context.Output.WriteLine(pid is { } id ? $"Stopped the pair server of {root} (pid {id})." : $"No pair server runs for {root}.");
                return ExitCodes.Success;
            }

            var host = new PairServerHost(name, Idle(parse.GetValue(idle) ?? Environment.GetEnvironmentVariable(PairServerProtocol.IdleVariable)));
            // Started detached by the task, it outlives the build: only a stop request, the idle time or the tool ends it.
            return await host.RunAsync(parse.GetValue(pipe) is null ? cancellationToken : CancellationToken.None);
        });
        return command;
    }

    /// <summary>True for the server the MSBuild task starts (<c>pair serve --pipe …</c>).</summary>
    public static bool IsDetached(IReadOnlyList<string> args) =>
        args.Count > 2 && args[0] == "pair" && args[1] == "serve" && args.Contains(PipeOptionName);

    private static TimeSpan Idle(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return PairServerHost.DefaultIdle;
        }

        return DurationParser.TryParse(text, out var idle)
            ? idle
            : throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"The idle time '{text}' is not a duration.", DurationParser.Examples);
    }

    /// <summary>Asks the server on <paramref name="name"/> to stop; its process id, or null when none answered.</summary>
    private static async Task<int?> StopAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            await client.ConnectAsync(TimeSpan.FromSeconds(1), cancellationToken);
            await using var writer = new StreamWriter(client, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            await writer.WriteLineAsync(PairServerProtocol.Greeting);
            await writer.WriteLineAsync("stop");
            await writer.WriteLineAsync("end");
            await writer.FlushAsync(cancellationToken);
            using var reader = new StreamReader(client, new UTF8Encoding(false), leaveOpen: true);
            var answer = PairServerProtocol.Parse(await reader.ReadLineAsync(cancellationToken) ?? "");
            return answer.Key == "served" && int.TryParse(answer.Value, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is TimeoutException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
