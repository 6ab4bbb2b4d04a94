using System.Globalization;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Diagnostics;

/// <summary>
/// Where the time of one call goes: with <c>LOOPS_TRACE=1</c> every phase (process start, engine open, each git call,
/// the context pack, the session state) prints one line to standard error as it ends, in a fixed format tools can parse:
/// <c>loops-trace: &lt;phase&gt; &lt;ms&gt; ms</c>. Disabled, it costs one null check per phase.
/// </summary>
public sealed class PhaseTrace
{
    /// <summary>The environment variable that turns the trace on (<c>1</c> or <c>true</c>).</summary>
    public const string Variable = "LOOPS_TRACE";

    /// <summary>The prefix of every trace line.</summary>
    public const string Prefix = "loops-trace: ";

    private readonly TextWriter? _sink;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    /// <summary>A trace that writes to <paramref name="sink"/> (null: disabled).</summary>
    public PhaseTrace(TextWriter? sink, TimeProvider? clock = null)
    {
        _sink = sink;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The trace that records nothing.</summary>
    public static PhaseTrace Disabled { get; } = new(null);

    /// <summary>True when phases are printed.</summary>
    public bool Enabled => _sink is not null;

    /// <summary>The trace the environment asks for: on when <c>LOOPS_TRACE</c> is <c>1</c> or <c>true</c>.</summary>
    public static PhaseTrace FromEnvironment(TextWriter error) =>
        Environment.GetEnvironmentVariable(Variable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase))
            ? new PhaseTrace(error)
            : Disabled;

    /// <summary>Starts timing a phase; disposing the result prints it.</summary>
    public Phase Start(string name) => new(this, name, _sink is null ? 0 : _clock.GetTimestamp());

    /// <summary>Prints a phase measured elsewhere (the runtime's own start, before any code of ours ran).</summary>
    public void Record(string name, TimeSpan elapsed)
    {
        if (_sink is null)
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{name} {elapsed.TotalMilliseconds:0.0} ms");
        lock (_gate)
        {
            _sink.WriteLine(line);
            _sink.Flush();
        }
    }

    /// <summary>Times <paramref name="work"/> as phase <paramref name="name"/>.</summary>
    public T Time<T>(string name, Func<T> work)
    {
        using var phase = Start(name);
        return work();
    }

    /// <summary>Times <paramref name="work"/> as phase <paramref name="name"/>.</summary>
    public void Time(string name, Action work)
    {
        using var phase = Start(name);
        work();
    }

    /// <summary>Times <paramref name="work"/> as phase <paramref name="name"/>.</summary>
    public async Task<T> TimeAsync<T>(string name, Func<Task<T>> work)
    {
        using var phase = Start(name);
        return await work();
    }

    /// <summary>Times <paramref name="work"/> as phase <paramref name="name"/>.</summary>
    public async Task TimeAsync(string name, Func<Task> work)
    {
        using var phase = Start(name);
        await work();
    }

    /// <summary>A process runner that records every program it starts as a phase (<c>git add</c>, <c>dotnet build</c>).</summary>
    public ProcessRunner Wrap(ProcessRunner inner) => _sink is null ? inner : new TracingProcessRunner(inner, this);

    /// <summary>One running phase.</summary>
    public readonly struct Phase : IDisposable
    {
        private readonly PhaseTrace? _trace;
        private readonly string _name;
        private readonly long _started;

        internal Phase(PhaseTrace trace, string name, long started)
        {
            _trace = trace;
            _name = name;
            _started = started;
        }

        /// <summary>Prints the phase.</summary>
        public void Dispose()
        {
            if (_trace is { _sink: not null } trace)
            {
                trace.Record(_name, trace._clock.GetElapsedTime(_started));
            }
        }
    }

    private sealed class TracingProcessRunner(ProcessRunner inner, PhaseTrace trace) : ProcessRunner
    {
        public override async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            using var phase = trace.Start(Describe(spec));
            return await inner.RunAsync(spec, cancellationToken);
        }

        /// <summary>The program and its verb (git's hardening <c>-c</c> options skipped); never the rest of the command line, which may hold secrets.</summary>
        private static string Describe(ProcessSpec spec)
        {
            var name = Path.GetFileNameWithoutExtension(spec.FileName);
            var arguments = spec.Arguments;
            for (var i = 0; i < arguments.Count; i++)
            {
                if (arguments[i] == "-c")
                {
                    i++;
                    continue;
                }

                return $"{name} {arguments[i]}";
            }

            return name;
        }
    }
}
