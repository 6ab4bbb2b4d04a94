using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Security;
using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Serving;

/// <summary>
/// <c>loops pair serve</c>: the warm pair server. It listens on a named pipe only its own user can open, runs one pair
/// command at a time (they change session state) through the same command tree as the process does, and sends its output
/// back line by line through the one secret masker. What stays warm is the runtime and its compiled code (the command
/// line, System.Text.Json, CliWrap, the engine's types); every call still reads the repository, its config and the
/// session from disk, so a session changed by the CLI meanwhile, a moved HEAD or edited files are seen as they are.
/// It exits after <see cref="Idle"/> without a request, when its loops.dll changes or disappears (a rebuilt or updated
/// tool is another server), and on a stop request.
/// </summary>
internal sealed class PairServerHost(string pipeName, TimeSpan idle)
{
    /// <summary>The default idle time before the server exits.</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(10);

    /// <summary>How long a client may take to send its request once connected.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often the server looks at its own loops.dll.</summary>
    private static readonly TimeSpan ToolCheckInterval = TimeSpan.FromSeconds(2);

    private readonly string _tool = typeof(PairServerHost).Assembly.Location;
    private DateTime _toolStamp;

    /// <summary>The idle time.</summary>
    public TimeSpan Idle => idle;

    /// <summary>Serves until idle, stale, stopped or <paramref name="cancellationToken"/>; 0 also when another server has the name.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // One server per name, also where the pipe itself would let two processes listen (Windows): the first holds the lock.
        FileStream? gate;
        try
        {
            gate = new FileStream(Path.Combine(Path.GetTempPath(), pipeName + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return ExitCodes.Success;
        }

        using var held = gate;
        if (!OperatingSystem.IsWindows())
        {
            // Whoever holds the lock owns the name: a socket file still there was left by a server that was killed.
            var socket = Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + pipeName);
            try
            {
                File.Delete(socket);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's file (a squatter): listening fails below and the server ends.
            }
        }

        _toolStamp = File.GetLastWriteTimeUtc(_tool);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Started from a terminal's build, the server shares its process group: a later Ctrl+C there is not for the server.
        using var interrupt = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        var watch = WatchToolAsync(stop);
        NamedPipeServerStream? listening = null;
        try
        {
            listening = Listen();
            WarmUp();
            while (!stop.IsCancellationRequested)
            {
                using var idleTime = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                idleTime.CancelAfter(idle);
                try
                {
                    await listening.WaitForConnectionAsync(idleTime.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var connection = listening;
                // The next client waits on a listening instance of its own while this one is served.
                listening = Listen();
                await using (connection)
                {
                    await ServeAsync(connection, stop);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The name is taken (another server won the race, or a pipe of another user squats it): nothing to serve.
        }
        finally
        {
            listening?.Dispose();
            await stop.CancelAsync();
            await watch;
        }

        return ExitCodes.Success;
    }

    private NamedPipeServerStream Listen() =>
        new(pipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

    /// <summary>Serves one connection: reads the request, runs it, answers; a client that breaks off costs nothing else.</summary>
    private async Task ServeAsync(NamedPipeServerStream pipe, CancellationTokenSource stop)
    {
        var accepted = Stopwatch.GetTimestamp();
        using var answer = new PipeAnswer(pipe);
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var request = await PairServerRequest.ReadAsync(pipe, timeout.Token);
            if (request is null)
            {
                return;
            }

            if (request.Stop)
            {
                answer.Send("served", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                answer.Send("exit", "0");
                answer.Flush();
                await stop.CancelAsync();
                return;
            }

            if (Stale())
            {
                answer.Send("refused", "the server's loops.dll changed");
                answer.Flush();
                await stop.CancelAsync();
                return;
            }

            if (!PairServerProtocol.IsServed(request.Arguments) || !Directory.Exists(request.WorkingDirectory))
            {
                answer.Send("refused", "not a pair command the server runs");
                answer.Flush();
                return;
            }

            answer.Send("served", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var exitCode = await RunAsync(request, answer, Stopwatch.GetElapsedTime(accepted));
            answer.Send("exit", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            answer.Flush();
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or sent nothing in time: the next one is served as usual.
        }
    }

    /// <summary>Runs the command as the process would, with the request's directory and trace; its output goes to the pipe.</summary>
    private static async Task<int> RunAsync(PairServerRequest request, PipeAnswer answer, TimeSpan waited)
    {
        var output = new MaskingTextWriter(new PipeLineWriter(answer, "o"), SecretMasker.Process);
        var error = new MaskingTextWriter(new PipeLineWriter(answer, "e"), SecretMasker.Process);
        var trace = request.Trace ? new PhaseTrace(error) : PhaseTrace.Disabled;
        trace.Record($"served by the pair server (pid {Environment.ProcessId})", waited);
        var context = new CliContext(output, error, interactive: false, color: false, request.WorkingDirectory) { Trace = trace, Served = true };
        // Requests run one at a time, so the process's directory and LOOPS_* variables can be the request's for the call.
        var before = Environment.CurrentDirectory;
        Environment.CurrentDirectory = request.WorkingDirectory;
        using var variables = RequestVariables.Apply(request.Variables);
        try
        {
            return await LoopsCli.RunAsync([.. request.Arguments], context);
        }
        catch (Exception exception)
        {
            error.WriteLine($"loops: error EL0001: internal error in the pair server: {exception.Message}");
            await error.FlushAsync();
            return ExitCodes.Infrastructure;
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }

    /// <summary>True when loops.dll is not the one this server loaded.</summary>
    private bool Stale() => !File.Exists(_tool) || File.GetLastWriteTimeUtc(_tool) != _toolStamp;

    private async Task WatchToolAsync(CancellationTokenSource stop)
    {
        try
        {
            using var timer = new PeriodicTimer(ToolCheckInterval);
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                if (Stale())
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// Compiles the command line's and the session file's code before the first request needs it: the server was started
    /// for the next call, which should find it warm.
    /// </summary>
    private static void WarmUp()
    {
        try
        {
            var context = new CliContext(TextWriter.Null, TextWriter.Null, interactive: false, color: false, Path.GetTempPath()) { Served = true };
            _ = LoopsCli.RunAsync(["pair", "status", "--help"], context).GetAwaiter().GetResult();
            var folder = Directory.CreateTempSubdirectory("loops-warm-");
            try
            {
                var store = new Pair.PairStore(folder.FullName);
                store.Save(new Pair.PairSession { Id = "warm", Goal = "warm", Started = DateTimeOffset.UtcNow, Ended = DateTimeOffset.UtcNow, StartSnapshot = "0" });
                _ = store.Load("warm");
                _ = new Processes.ProcessRunner().RunAsync(new Processes.ProcessSpec("git", ["--version"], folder.FullName)).GetAwaiter().GetResult();
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Warming is an optimisation only.
        }
    }
}

/// <summary>One request read from the pipe.</summary>
internal sealed record PairServerRequest(string WorkingDirectory, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Variables, bool Stop)
{
    /// <summary>True when the client's <c>LOOPS_TRACE</c> asks for the phase trace.</summary>
    public bool Trace => Variables.TryGetValue(PhaseTrace.Variable, out var value) && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a request; null when the client sent no valid one.</summary>
    public static async Task<PairServerRequest?> ReadAsync(Stream pipe, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(pipe, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        if (await reader.ReadLineAsync(cancellationToken) != PairServerProtocol.Greeting)
        {
            return null;
        }

        var directory = "";
        var arguments = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var stop = false;
        for (var line = await reader.ReadLineAsync(cancellationToken); line is not null; line = await reader.ReadLineAsync(cancellationToken))
        {
            var field = PairServerProtocol.Parse(line);
            switch (field.Key)
            {
                case "cwd":
                    directory = field.Value;
                    break;
                case "arg":
                    arguments.Add(field.Value);
                    break;
                case "env" when field.Value.StartsWith(PairServerProtocol.VariablePrefix, StringComparison.Ordinal) && field.Value.IndexOf('=', StringComparison.Ordinal) > 0:
                    var equals = field.Value.IndexOf('=', StringComparison.Ordinal);
                    variables[field.Value[..equals]] = field.Value[(equals + 1)..];
                    break;
                case "stop":
                    stop = true;
                    break;
                case "end":
                    return new PairServerRequest(directory, arguments, variables, stop);
            }
        }

        return null;
    }
}

/// <summary>
/// A request's <c>LOOPS_*</c> variables in force for its call: set, the server's own others removed, and all restored
/// afterwards (the program reads them, e.g. config overrides, from the process environment).
/// </summary>
internal sealed class RequestVariables : IDisposable
{
    private readonly Dictionary<string, string?> _before = new(StringComparer.Ordinal);

    private RequestVariables()
    {
    }

    public static RequestVariables Apply(IReadOnlyDictionary<string, string> variables)
    {
        var applied = new RequestVariables();
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith(PairServerProtocol.VariablePrefix, StringComparison.Ordinal) && !variables.ContainsKey(name))
            {
                applied.Set(name, null);
            }
        }

        foreach (var (name, value) in variables)
        {
            applied.Set(name, value);
        }

        return applied;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _before)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private void Set(string name, string? value)
    {
        _before.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}
