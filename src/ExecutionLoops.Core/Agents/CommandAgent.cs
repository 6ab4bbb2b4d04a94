using ExecutionLoops.Agents.Clis;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Agents;

/// <summary>
/// <c>use: command</c>: an external coding-agent CLI run non-interactively in the worktree, either a preset
/// (<see cref="AgentCli"/>) or a custom command line. It starts from the environment allowlist plus only what the
/// preset names (its key, its settings) and <c>agent.env</c>; a time-out kills its process tree; its output goes to
/// the mission log with secrets masked. Its exit code alone never says the work was done: a CLI that exits 0 after
/// every tool call was refused, having changed nothing, fails the attempt with its own words (EL5015).
/// </summary>
public sealed class CommandAgent : IAgentBackend
{
    /// <inheritdoc />
    public async Task<AgentRunResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings;
        var scratch = Directory.CreateDirectory(request.TempFile("loops-agent-", "")).FullName;
        var promptFile = Path.Combine(scratch, "prompt.md");
        await File.WriteAllTextAsync(promptFile, request.Prompt, cancellationToken);
        try
        {
            var worktree = request.Sandbox.Root;
            var cli = AgentCli.Find(settings.Preset);
            var context = new AgentCliContext(settings.Model, settings.Endpoint, request.Processes is SandboxedProcessRunner, promptFile, scratch);
            ProcessSpec spec;
            Dictionary<string, string?> environment;
            if (cli is not null)
            {
                var invocation = cli.Invocation(context);
                spec = new ProcessSpec(cli.Program, invocation.Arguments, worktree) { StandardInput = invocation.PromptOnStandardInput ? request.Prompt : null };
                environment = PresetEnvironment(cli, invocation, context, settings);
            }
            else
            {
                var line = settings.Command!.Replace("{prompt_file}", Quote(promptFile), StringComparison.Ordinal).Replace("{model}", Quote(settings.Model ?? ""), StringComparison.Ordinal).Replace("{worktree}", Quote(worktree), StringComparison.Ordinal);
                spec = ProcessSpec.Shell(line, worktree);
                environment = Named(settings.Environment, Environment.GetEnvironmentVariable);
            }

            environment["LOOPS_PROMPT_FILE"] = promptFile;
            environment["LOOPS_WORKTREE"] = worktree;
            spec = spec with { Environment = environment, Timeout = request.Timeout, OnOutputLine = request.Log.Write };
            request.Log.Write($"$ {spec.Display} (agent {settings.Preset ?? "command"}, prompt {request.Prompt.Length:N0} chars{(spec.StandardInput is null ? "" : " on standard input")})");
            var before = WorktreeSnapshot.Take(worktree);
            ProcessResult result;
            try
            {
                result = await request.Processes.RunAsync(spec, cancellationToken);
            }
            catch (ToolNotFoundException ex)
            {
                var hint = cli is not null ? $"Install the {cli.Name} CLI ({cli.Program}) on the runner, or choose another agent.preset." : "Check agent.command.";
                return Failed(Diagnostic.Error(DiagnosticCodes.AgentCliMissing, $"The agent CLI '{ex.FileName}' is not installed or not on PATH.", hint: hint));
            }

            if (result.TimedOut)
            {
                return Failed(Diagnostic.Error(DiagnosticCodes.AgentTimedOut, $"The agent did not finish within {Briefs.DurationParser.Format(request.Timeout)}; its process tree was killed.", hint: "Raise agent.timeout, or make the mission smaller."), result.Tail());
            }

            var output = cli?.Read(result.CombinedOutput, context) ?? AgentCliOutput.None;
            var usage = output.Usage ?? new AgentUsage(1, 0, 0);
            if (!result.Succeeded)
            {
                return Failed(ExitFailure(cli, settings, result, output), result.Tail(), usage);
            }

            if (output.Refusals.Count > 0 && WorktreeSnapshot.Take(worktree).SameAs(before))
            {
                var words = string.Join(" / ", output.Refusals.Distinct().Take(3).Select(r => r.Trim().ReplaceLineEndings(" ")));
                return Failed(
                    Diagnostic.Error(DiagnosticCodes.AgentToolsRefused, $"The {cli?.Name ?? "agent"} CLI exited 0 but changed nothing: {output.Refusals.Count} tool call(s) were refused. It said: {words}", hint: "Its permissions, its workspace rules or the sandbox stopped it (see the log); writes outside the clone are refused by design."),
                    result.Tail(),
                    usage);
            }

            return new AgentRunResult(true, output.Summary ?? LastLine(result.StandardOutput) ?? "the agent finished", usage, LogTail: result.Tail());
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// What a preset CLI sees besides the allowlist every process gets (<see cref="ChildEnvironment"/>): its key
    /// variables and settings when set, <c>agent.env</c>, the key named by <c>agent.api-key-env</c> under the CLI's own
    /// name, the preset's defaults where nothing is set, and what the invocation needs (telemetry off, the endpoint).
    /// Values are passed explicitly so they reach it inside the sandbox too.
    /// </summary>
    /// <param name="cli">The preset.</param>
    /// <param name="invocation">Its invocation for the attempt.</param>
    /// <param name="context">The attempt.</param>
    /// <param name="settings">The agent settings.</param>
    /// <param name="variables">Reads a variable of the engine's environment (default: this process's).</param>
    public static Dictionary<string, string?> PresetEnvironment(AgentCli cli, AgentCliInvocation invocation, AgentCliContext context, AgentSettings settings, Func<string, string?>? variables = null)
    {
        variables ??= Environment.GetEnvironmentVariable;
        var environment = Named([.. cli.KeyVariables, .. cli.Variables, .. settings.Environment], variables);
        if (settings.ApiKeyVariable is { } source && variables(source) is { } key)
        {
            environment[cli.KeyVariable(context)] = key;
        }

        foreach (var (name, fallback) in invocation.Defaults)
        {
            environment.TryAdd(name, fallback);
        }

        foreach (var (name, fixedValue) in invocation.Environment)
        {
            environment[name] = fixedValue;
        }

        return environment;
    }

    /// <summary>The named variables that are set, with their values.</summary>
    private static Dictionary<string, string?> Named(IEnumerable<string> names, Func<string, string?> variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (variables(name) is { } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>A failed exit in the CLI's own words, classified: the endpoint unreachable, the key refused, or the CLI failing.</summary>
    private static Diagnostic ExitFailure(AgentCli? cli, AgentSettings settings, ProcessResult result, AgentCliOutput output)
    {
        // Without a structured error, its last lines: CLIs say what went wrong, then how to fix it.
        var words = (output.Error ?? string.Join(" ", result.Tail(3).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).Trim();
        var said = words.Length == 0 ? "" : $": {(words.Length > 300 ? words[..300] + "…" : words)}";
        var name = cli?.Name ?? "agent";
        return EndpointFailures.Classify(words) switch
        {
            EndpointFailure.Unreachable => Diagnostic.Error(DiagnosticCodes.AgentEndpointUnreachable, $"The {name} agent cannot reach its endpoint{At(settings)}{said}", hint: "Check agent.endpoint and the network."),
            EndpointFailure.KeyRefused => Diagnostic.Error(DiagnosticCodes.AgentAuthFailed, $"The {name} agent's endpoint refused its key{said}", hint: cli is null ? "Pass the key through agent.env." : $"Set {cli.KeyVariables[0]} (or name the variable in agent.api-key-env)."),
            _ => Diagnostic.Error(DiagnosticCodes.AgentFailed, $"The {name} agent exited with code {result.ExitCode}{said}", hint: "See the log tail; a missing key is the usual cause."),
        };
    }

    private static string At(AgentSettings settings) => settings.Endpoint is { } endpoint ? $" ({endpoint})" : "";

    private static AgentRunResult Failed(Diagnostic problem, string tail = "", AgentUsage? usage = null) => new(false, problem.Message, usage ?? new AgentUsage(1, 0, 0), problem, tail);

    private static string Quote(string value) => OperatingSystem.IsWindows() ? $"\"{value}\"" : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string? LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
