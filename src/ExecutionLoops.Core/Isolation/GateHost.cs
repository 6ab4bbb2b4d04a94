using System.Text;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Isolation;

/// <summary>
/// A long-lived process in the gates' sandbox that runs the gate commands of one mission, one after another, so
/// they share its PID namespace and its private <c>/tmp</c>. Started in a sandbox of its own, each gate command met a
/// fresh namespace: the C# compiler server and MSBuild's worker nodes (found by process id, through pipes in
/// <c>/tmp</c>) started cold every time and died with the command, which made a sandboxed build+test gate half again
/// as slow as an unsandboxed one. Here they stay warm from the first command to the last, and a build of a small
/// solution (<see cref="WarmUpSolution"/>) warms them while the agent still works (a host started once the agent is done
/// has no warm-up).
/// <para>
/// The host is a shell loop: it reads a request name from a FIFO, runs the command file's working directory,
/// environment (exactly that, <c>env -i</c>) and command line through <c>xargs -0</c>, and leaves the output, the
/// exit code and a done marker in the request's folder, where this side polls for them. Requests stay in the gates'
/// <c>/tmp</c>, which the agent's sandbox never sees. Everything in the namespace — the host, the servers, the nodes
/// that ran the change's build targets and analyzers — is killed when the gates are done, before the change is
/// fingerprinted again and committed; a command that runs out of time takes the host with it (the next commands
/// start sandboxes of their own).
/// </para>
/// </summary>
internal sealed class GateHost : IAsyncDisposable
{
    // $1: the host's folder; $2: the warm-up, or nothing. The compiler server and MSBuild's nodes exit after minutes of
    // idleness; an agent may work longer, so the warm-up runs again every four minutes.
    private const string Script = """
        cd "$1" || exit 1
        mkfifo requests.new || exit 1
        if [ -n "$2" ]; then
          ( sh -c "$2" > warmup.log 2>&1; echo $? > warm
            while :; do sleep 240; touch one/Warmup.cs two/Warmup.cs; sh -c "$2" > /dev/null 2>&1; done ) &
        fi
        exec 3<> requests.new
        mv requests.new requests.fifo || exit 1
        while read -r request <&3; do
          case $request in r[0-9]*) ;; *) continue ;; esac
          request="$PWD/$request"
          xargs -0 -x -s 1048576 -a "$request/command" sh -c 'cd "$1" || exit 126; shift; env -i "$@" < /dev/null > "$0/out" 2> "$0/err"; echo $? > "$0/code"' "$request"
          : > "$request/done"
        done
        """;

    // The build warms the compiler server and a worker node; the host without the network runs the tests, whose
    // first `dotnet test` (the test targets' tasks loaded into the nodes) is measurably slower than the next ones.
    private const string WarmUpOptions = WarmUpSolution.FileName + " -nologo -v:q -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false";
    private const string WarmUpBuild = "dotnet build " + WarmUpOptions;
    private const string WarmUpTests = WarmUpBuild + " && dotnet test --no-build " + WarmUpOptions;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Task _host;
    private readonly string _folder;
    private readonly IReadOnlyDictionary<string, string> _commandSettings;
    private int _requests;

    private GateHost(ProcessRunner launcher, string folder, string sandboxFolder, string workingDirectory, bool network, bool warmUp)
    {
        _folder = folder;
        _commandSettings = CommandSettings(compiles: network);

        // The working directory must exist outside the sandbox too (bwrap starts there); the script moves into /tmp.
        var warmUpCommand = !warmUp ? "" : network ? WarmUpBuild : WarmUpTests;
        var spec = new ProcessSpec("/bin/sh", ["-c", Script, "gate-host", sandboxFolder, warmUpCommand], workingDirectory)
        {
            Network = network,
            Environment = HostSettings(compiles: network).ToDictionary(setting => setting.Key, string? (setting) => setting.Value),
        };
        _host = Task.Run(() => launcher.RunAsync(spec, _stop.Token), CancellationToken.None);
    }

    /// <summary>True once it was handed a command.</summary>
    public bool HasRun => _requests > 0;

    /// <summary>True while the host runs and takes requests.</summary>
    public bool IsRunning => !_host.IsCompleted && !_stop.IsCancellationRequested;

    /// <summary>True once the first warm-up build is done (never for a host started without one).</summary>
    public bool IsWarm => File.Exists(Path.Combine(_folder, "warm"));

    /// <summary>
    /// Starts a host in the gates' sandbox; <paramref name="launcher"/> starts sandboxed processes with the gates'
    /// policy, <paramref name="gateTemp"/> is the host path of the (empty) folder the host's sandbox sees as <c>/tmp</c>.
    /// </summary>
    public static GateHost Start(ProcessRunner launcher, string gateTemp, string clone, bool network, bool warmUp)
    {
        const string name = "loops-gate-host";
        var folder = Path.Combine(gateTemp, name);
        Directory.CreateDirectory(folder);
        if (warmUp)
        {
            WarmUpSolution.Write(folder, exerciseCompiler: network);
        }

        return new GateHost(launcher, folder, "/tmp/" + name, clone, network, warmUp);
    }

    /// <summary>
    /// Runs <paramref name="spec"/> in the host with <paramref name="environment"/>, as the sandboxed runner would have
    /// in a sandbox of its own: the same output, exit code and time limit. A time limit or a cancellation stops the
    /// host and everything in it.
    /// </summary>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(environment);
        foreach (var (name, value) in _commandSettings)
        {
            variables[name] = value;
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var started = DateTime.UtcNow;
            var name = $"r{++_requests}";
            var request = Path.Combine(_folder, name);
            Directory.CreateDirectory(request);
            var fields = new List<string> { spec.WorkingDirectory };
            fields.AddRange(variables.Select(variable => $"{variable.Key}={variable.Value}"));
            fields.Add(spec.FileName);
            fields.AddRange(spec.Arguments);
            await File.WriteAllTextAsync(Path.Combine(request, "command"), string.Concat(fields.Select(field => field + '\0')), cancellationToken);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (spec.Timeout is { } limit)
            {
                timeout.CancelAfter(limit);
            }

            var output = new OutputFollower(Path.Combine(request, "out"), spec.OnOutputLine);
            var error = new OutputFollower(Path.Combine(request, "err"), spec.OnOutputLine);
            try
            {
                await SendAsync(name, timeout.Token);
                while (!File.Exists(Path.Combine(request, "done")))
                {
                    if (!IsRunning)
                    {
                        return new ProcessResult(-1, output.Text(), error.Text() + "loops: the gates' sandbox host stopped while this command ran.\n", DateTime.UtcNow - started, false);
                    }

                    output.Follow();
                    error.Follow();
                    await Task.Delay(PollInterval, timeout.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Killing the host is the only way to reach the command's process tree in its namespace.
                await DisposeAsync();
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                return new ProcessResult(-1, output.Text(), error.Text() + $"loops: killed after {spec.Timeout:c} (time limit).\n", DateTime.UtcNow - started, true);
            }

            output.Follow(final: true);
            error.Follow(final: true);
            var code = File.Exists(Path.Combine(request, "code")) && int.TryParse(await File.ReadAllTextAsync(Path.Combine(request, "code"), cancellationToken), out var exit) ? exit : -1;
            var result = new ProcessResult(code, output.Text(), error.Text(), DateTime.UtcNow - started, false);
            Directory.Delete(request, recursive: true);
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Stops the host process, and with its namespace everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _host;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ToolNotFoundException)
        {
            // Stopped, as asked (killing a process tree that is already going reports the tree as missing).
        }
    }

    /// <summary>
    /// Settings of the host's own process, and so of its warm-up and of the build servers the warm-up starts, which the
    /// gate commands then use. Only the host with the network compiles: the other one runs the tests of a finished
    /// build.
    /// </summary>
    private static Dictionary<string, string> HostSettings(bool compiles)
    {
        var settings = SharedSettings();
        if (compiles)
        {
            // The compiler server and the build nodes compile each method once, optimized (or keep its precompiled
            // code), instead of first-tier code that is recompiled in the background once it ran often: a server that
            // lives for one mission never gets as far as a developer's server warm for hours, and its background
            // recompiles after the warm-up took the CPU from the build gate. After the warm-up and 20 s of idleness,
            // the first build of the demo plus 20 libraries spent 1.8–2.4 s in the compiler with this setting,
            // 2.7–3.3 s without it (2 cores).
            settings["DOTNET_TieredCompilation"] = "0";
        }

        return settings;
    }

    /// <summary>Settings of every gate command the host runs (not the host's: commands run under <c>env -i</c>).</summary>
    private static Dictionary<string, string> CommandSettings(bool compiles)
    {
        var settings = SharedSettings();
        if (compiles)
        {
            // A gate's `dotnet build` is a fresh process that restores, evaluates the projects and runs half of their
            // tasks itself. Without tiered compilation it compiled all that code optimized: its restore took
            // 0.76–0.85 s against 0.52–0.63 s outside the sandbox. With tiering, its background recompiles took the CPU
            // from the compiler server (1.8–2.4 s in the compiler became 2.5–3.5 s). So tiering stays on, and the
            // recompiles wait until the process has gone 2 s without compiling new code: a build never does, a long
            // command (dotnet format, a coverage run) still reaches optimized code.
            settings["DOTNET_TC_CallCountingDelayMs"] = "2000";
        }

        return settings;
    }

    private static Dictionary<string, string> SharedSettings() => new()
    {
        // The namespace keeps MSBuild's nodes for the next command, and kills them after the last.
        ["MSBUILDDISABLENODEREUSE"] = "0",

        // Tiered PGO instruments methods for a later rejit that processes living seconds never reach; without it the
        // first `dotnet test` of a 22-project solution in a fresh namespace was about a second faster.
        ["DOTNET_TieredPGO"] = "0",
    };

    // The FIFO is opened for reading and writing: that never blocks, whether or not the host reads yet. Its name appears
    // only once the host holds it open (the script opens it under another name, then renames it): what is written into a
    // FIFO that no process holds open is lost when the writer closes it, and a command sent the moment the host started
    // waited for an answer until the mission's time limit.
    private async Task SendAsync(string name, CancellationToken cancellationToken)
    {
        var fifo = Path.Combine(_folder, "requests.fifo");
        while (!File.Exists(fifo))
        {
            if (!IsRunning)
            {
                return;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        await using var stream = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(name + "\n"), cancellationToken);
    }

    /// <summary>Reads what a command wrote to one of its output files so far and hands on every complete line.</summary>
    private sealed class OutputFollower(string path, Action<string>? onLine)
    {
        private readonly StringBuilder _text = new();
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder(); // keeps a character split across two reads
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly char[] _characters = new char[Encoding.UTF8.GetMaxCharCount(64 * 1024)];
        private long _offset;
        private int _handedOn;

        public void Follow(bool final = false)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(_offset, SeekOrigin.Begin);
                int read;
                while ((read = stream.Read(_buffer)) > 0)
                {
                    _offset += read;
                    _text.Append(_characters, 0, _decoder.GetChars(_buffer, 0, read, _characters, 0, flush: false));
                }
            }

            if (onLine is null)
            {
                return;
            }

            var text = _text.ToString();
            int end;
            while ((end = text.IndexOf('\n', _handedOn)) >= 0)
            {
                onLine(text[_handedOn..end].TrimEnd('\r'));
                _handedOn = end + 1;
            }

            if (final && _handedOn < text.Length)
            {
                onLine(text[_handedOn..]);
                _handedOn = text.Length;
            }
        }

        public string Text()
        {
            Follow();
            return _text.ToString();
        }
    }
}
