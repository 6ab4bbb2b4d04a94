using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace ExecutionLoops.Serving;

/// <summary>
/// What the pair server (<c>loops pair serve</c>) and its clients (the MSBuild task, <c>loops pair serve --stop</c>)
/// agree on: the pipe's name, the commands it serves and the lines it exchanges. One source file compiled into both the
/// task assembly (netstandard2.0, no dependencies) and the loops program, so the two can never disagree.
/// </summary>
/// <remarks>
/// A request is UTF-8 lines: <c>loops-pair-server 1</c>, <c>cwd</c>, one <c>arg</c> line per argument, optional
/// <c>env</c> lines (<c>NAME=value</c>, the <c>LOOPS_*</c> variables), then <c>end</c>. The answer is <c>served &lt;pid&gt;</c> (or <c>refused &lt;reason&gt;</c>, and the
/// client runs the program itself), then <c>o</c>/<c>e</c> lines of standard output and error, then <c>exit &lt;code&gt;</c>.
/// Field and value are separated by a tab; tabs, newlines and backslashes inside values are escaped.
/// </remarks>
internal static class PairServerProtocol
{
    /// <summary>The first line of every request; a new wire format gets a new number.</summary>
    public const string Greeting = "loops-pair-server 1";

    /// <summary>
    /// The environment variables a request carries: the program's own (the trace, config overrides such as
    /// <c>LOOPS_BASE_BRANCH</c>), which the server applies for the call. The rest of its environment is that of the
    /// build that started it.
    /// </summary>
    public const string VariablePrefix = "LOOPS_";

    /// <summary>
    /// The environment variable that turns the server on (<c>true</c>) or off (<c>false</c>) for pair calls, from the
    /// CLI and from MSBuild (where the LoopsPairServer property comes first); unset, the node-reuse policy decides.
    /// </summary>
    public const string ServerVariable = "LOOPS_PAIR_SERVER";

    /// <summary>The environment variable that sets the idle time after which the server exits (a duration: 90s, 10m).</summary>
    public const string IdleVariable = "LOOPS_PAIR_SERVER_IDLE";

    /// <summary>The pair subcommands the server runs: short calls that the MSBuild targets make. Anything else runs as a process.</summary>
    public static readonly string[] ServedCommands = ["start", "status", "note", "checkpoint", "rewind", "end"];

    /// <summary>
    /// The pipe's name: one server per repository, loops.dll (its path and time stamp, so a rebuilt or updated tool
    /// never answers for an old one) and user. Short on purpose: on Unix it becomes a socket path under the temp folder,
    /// whose length is limited (about 100 bytes).
    /// </summary>
    public static string PipeName(string repositoryRoot, string loopsDll)
    {
        // MSBuild may hand the path over with Windows separators (the props write it so); on Unix they are not separators.
        var dll = Path.GetFullPath(Path.DirectorySeparatorChar == '/' ? loopsDll.Replace('\\', '/') : loopsDll);
        var stamp = File.Exists(dll) ? File.GetLastWriteTimeUtc(dll).Ticks : 0;
        var key = Encoding.UTF8.GetBytes(string.Join("\n", Normalize(repositoryRoot), dll, stamp.ToString(CultureInfo.InvariantCulture), Environment.UserName));

        // FNV-1a, forwards and backwards: 96 bits of the two are the name. The name must differ per key, not withstand an
        // attacker (only the user's own processes may open the pipe); SHA-256 loaded the platform's crypto library, 10 ms
        // of every call a CLI client hands to the server.
        const ulong Offset = 14695981039346656037, Prime = 1099511628211;
        ulong forwards = Offset, backwards = Offset;
        for (var i = 0; i < key.Length; i++)
        {
            forwards = (forwards ^ key[i]) * Prime;
            backwards = (backwards ^ key[key.Length - 1 - i]) * Prime;
        }

        return "loops-pair-" + forwards.ToString("x16", CultureInfo.InvariantCulture) + (backwards >> 32).ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The repository a folder belongs to for the server's name: the nearest folder at or above it with a <c>.git</c>
    /// entry (a folder, or a worktree's file); the folder itself when there is none. No git process: the task asks this
    /// on every call.
    /// </summary>
    public static string RepositoryRoot(string directory)
    {
        var start = Normalize(directory);
        for (var current = new DirectoryInfo(start); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Normalize(current.FullName);
            }
        }

        return start;
    }

    /// <summary>True when <paramref name="arguments"/> is a pair command the server runs.</summary>
    public static bool IsServed(IReadOnlyList<string> arguments) =>
        arguments.Count >= 2 && arguments[0] == "pair" && Array.IndexOf(ServedCommands, arguments[1]) >= 0;

    /// <summary>One protocol line: a field and its escaped value.</summary>
    public static string Line(string field, string value) => field + "\t" + Escape(value);

    /// <summary>Splits a protocol line into its field and unescaped value.</summary>
    public static KeyValuePair<string, string> Parse(string line)
    {
        var tab = line.IndexOf('\t');
        return tab < 0 ? new KeyValuePair<string, string>(line, "") : new KeyValuePair<string, string>(line.Substring(0, tab), Unescape(line.Substring(tab + 1)));
    }

    /// <summary>
    /// Splits a command line into arguments by the rules the .NET runtime applies when it starts a process from one
    /// string (those of the Windows C runtime): what the server is sent is what the program would have received.
    /// </summary>
    public static List<string> SplitCommandLine(string commandLine)
    {
        var arguments = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < commandLine.Length && (commandLine[i] == ' ' || commandLine[i] == '\t'))
            {
                i++;
            }

            if (i >= commandLine.Length)
            {
                return arguments;
            }

            arguments.Add(NextArgument(commandLine, ref i));
        }
    }

    private static string NextArgument(string text, ref int i)
    {
        var argument = new StringBuilder();
        var quoted = false;
        while (i < text.Length)
        {
            var backslashes = 0;
            while (i < text.Length && text[i] == '\\')
            {
                i++;
                backslashes++;
            }

            if (backslashes > 0)
            {
                if (i >= text.Length || text[i] != '"')
                {
                    argument.Append('\\', backslashes);
                }
                else
                {
                    // 2n backslashes and a quote: n backslashes, and the quote opens or closes; 2n+1: n and a literal quote.
                    argument.Append('\\', backslashes / 2);
                    if (backslashes % 2 != 0)
                    {
                        argument.Append('"');
                        i++;
                    }
                }

                continue;
            }

            var c = text[i];
            if (c == '"')
            {
                if (quoted && i + 1 < text.Length && text[i + 1] == '"')
                {
                    argument.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }

                i++;
                continue;
            }

            if ((c == ' ' || c == '\t') && !quoted)
            {
                break;
            }

            argument.Append(c);
            i++;
        }

        return argument.ToString();
    }

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) is { Length: > 0 } trimmed ? trimmed : Path.GetFullPath(path);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

    private static string Unescape(string value)
    {
        if (value.IndexOf('\\') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 >= value.Length)
            {
                text.Append(value[i]);
                continue;
            }

            i++;
            text.Append(value[i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => value[i] });
        }

        return text.ToString();
    }
}
