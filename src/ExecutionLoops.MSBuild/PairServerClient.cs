using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;

namespace ExecutionLoops.Serving;

/// <summary>
/// The clients' side of the warm pair server (<c>loops pair serve</c>): the MSBuild task's, and the <c>loops</c> process's
/// (the program links this file). As the compiler's task talks to VBCSCompiler: connect for a few milliseconds, send the
/// arguments, stream the answer's lines back. Anything short of a complete answer (no server, a refusal, a server that
/// dies) returns null and the caller runs the program as before: a missing or broken server costs time, never a result.
/// </summary>
internal sealed class PairServerClient
{
    /// <summary>How long to wait for a server that exists to accept: it is local and idle, or it is gone.</summary>
    private const int ConnectTimeoutMilliseconds = 50;

    /// <summary>How long a server may take to begin an answer (another build's request may be ahead in its queue).</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>PipeOptions.CurrentUserOnly</c>, which netstandard2.0 does not name: on .NET (Core) it makes the client refuse a
    /// pipe another user created (a squatted name); .NET Framework does not know the value and would throw.
    /// </summary>
    private const PipeOptions CurrentUserOnly = (PipeOptions)0x20000000;

    private readonly string _loopsPath;

    public PairServerClient(string loopsPath, string repository)
    {
        _loopsPath = Path.GetFullPath(Path.DirectorySeparatorChar == '/' ? loopsPath.Replace('\\', '/') : loopsPath);
        Root = PairServerProtocol.RepositoryRoot(repository);
        PipeName = PairServerProtocol.PipeName(Root, _loopsPath);
    }

    /// <summary>The repository the server is for.</summary>
    public string Root { get; }

    /// <summary>The pipe's name.</summary>
    public string PipeName { get; }

    /// <summary>
    /// True when the server's pipe exists: on Unix its socket file, which a server that was killed may leave behind; on
    /// Windows, where there is no file to look at, false.
    /// </summary>
    public bool Runs => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && File.Exists(Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + PipeName));

    /// <summary>The server's process id, once one answered.</summary>
    public int ServerProcessId { get; private set; }

    /// <summary>
    /// Runs <paramref name="arguments"/> in the server: every output line goes to <paramref name="onLine"/> (true for
    /// standard error) as it arrives. Returns the exit code, or null when no complete answer came (then
    /// <paramref name="why"/> says why, for a low-importance message).
    /// </summary>
    public int? TryRun(IReadOnlyList<string> arguments, string workingDirectory, Action<string, bool> onLine, out string why)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && !Runs)
        {
            // No socket, no server: the connect would only wait for its time-out.
            why = "no pair server runs";
            return null;
        }

        try
        {
            using var pipe = new NamedPipeClientStream(".", PipeName, PipeDirection.InOut, OnDotnetCore() ? CurrentUserOnly : PipeOptions.None);
            pipe.Connect(ConnectTimeoutMilliseconds);
            var writer = new StreamWriter(pipe, new UTF8Encoding(false)) { NewLine = "\n" };
            writer.WriteLine(PairServerProtocol.Greeting);
            writer.WriteLine(PairServerProtocol.Line("cwd", workingDirectory));
            foreach (var argument in arguments)
            {
                writer.WriteLine(PairServerProtocol.Line("arg", argument));
            }

            // The program reads LOOPS_* variables (the trace, config overrides): the server applies this build's for the call.
            foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                if (variable.Key is string name && name.StartsWith(PairServerProtocol.VariablePrefix, StringComparison.Ordinal))
                {
                    writer.WriteLine(PairServerProtocol.Line("env", name + "=" + variable.Value));
                }
            }

            writer.WriteLine("end");
            writer.Flush();

            var reader = new StreamReader(pipe, new UTF8Encoding(false));
            var first = reader.ReadLineAsync();
            if (!first.Wait(AnswerTimeout))
            {
                why = $"the pair server did not answer within {AnswerTimeout.TotalSeconds:0} s";
                return null;
            }

            var answer = PairServerProtocol.Parse(first.Result ?? "");
            if (answer.Key != "served")
            {
                why = answer.Key == "refused" ? $"the pair server refused: {answer.Value}" : "the pair server closed the connection";
                return null;
            }

            ServerProcessId = int.TryParse(answer.Value, out var pid) ? pid : 0;
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                var field = PairServerProtocol.Parse(line);
                switch (field.Key)
                {
                    case "o":
                        onLine(field.Value, false);
                        break;
                    case "e":
                        onLine(field.Value, true);
                        break;
                    case "exit":
                        why = "";
                        return int.TryParse(field.Value, out var code) ? code : 1;
                }
            }

            why = "the pair server stopped before it finished";
            return null;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException or AggregateException)
        {
            why = $"no pair server answered ({exception.GetType().Name}: {exception.Message})";
            return null;
        }
    }

    /// <summary>
    /// Starts <c>loops pair serve</c> for the next call, detached from the build: its standard streams are pipes closed
    /// at once (a build that waits for its output to end must not wait for the server), and it runs from the temp folder
    /// (it holds no repository folder open). A server that is already starting for the same name exits by itself.
    /// </summary>
    public bool TryStart(string dotnetHost, out string why)
    {
        try
        {
            var start = new ProcessStartInfo(dotnetHost, $"\"{_loopsPath}\" pair serve --pipe {PipeName} --repo \"{Root}\"")
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                why = "the process did not start";
                return false;
            }

            process.StandardInput.Close();
            process.StandardOutput.Close();
            process.StandardError.Close();
            why = $"pid {process.Id}";
            return true;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            why = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// Whether the pair server may be used, as MSBuild decides about its own reused nodes: not when node reuse is off
    /// (MSBUILDDISABLENODEREUSE=1), not in CI (CI, TF_BUILD: a build agent keeps no process for the next build), and as
    /// <paramref name="setting"/> (the LoopsPairServer property, else LOOPS_PAIR_SERVER) says when it says true or false.
    /// </summary>
    public static bool Allowed(string setting, out string why)
    {
        if (string.Equals(setting, "false", StringComparison.OrdinalIgnoreCase))
        {
            why = "turned off (LoopsPairServer, LOOPS_PAIR_SERVER)";
            return false;
        }

        if (string.Equals(setting, "true", StringComparison.OrdinalIgnoreCase))
        {
            why = "turned on (LoopsPairServer, LOOPS_PAIR_SERVER)";
            return true;
        }

        if (Environment.GetEnvironmentVariable("MSBUILDDISABLENODEREUSE") == "1")
        {
            why = "node reuse is off (MSBUILDDISABLENODEREUSE=1)";
            return false;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD")))
        {
            why = "a CI build";
            return false;
        }

        why = "";
        return true;
    }

    private static bool OnDotnetCore() =>
        !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
}
