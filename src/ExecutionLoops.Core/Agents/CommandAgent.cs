using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Agents;

/// <summary>
/// <c>use: command</c>: an external coding-agent CLI run non-interactively in the worktree with the prompt, under
/// an environment allowlist (only the basics, the preset's key variables and <c>agent.env</c> reach it), with a
/// time-out that kills its process tree; its output goes to the mission log with secrets masked.
/// </summary>
internal sealed class CommandAgent : IAgentBackend
{
    /// <summary>A preset: how the CLI is called and which variables carry its credentials.</summary>
    /// <param name="Program">The executable.</param>
    /// <param name="Arguments">Arguments, given the prompt, the prompt file and the model.</param>
    /// <param name="KeyVariables">Credential variables it needs.</param>
    public sealed record Preset(string Program, Func<string, string, string?, IReadOnlyList<string>> Arguments, IReadOnlyList<string> KeyVariables);

    /// <summary>The presets: the flags each CLI needs to run without asking questions.</summary>
    public static IReadOnlyDictionary<string, Preset> Presets { get; } = new Dictionary<string, Preset>(StringComparer.Ordinal)
    {
        ["claude"] = new("claude", (prompt, _, model) => [.. (string[])["-p", prompt, "--permission-mode", "acceptEdits", "--output-format", "text"], .. Model("--model", model)], ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]),
        ["codex"] = new("codex", (prompt, _, model) => [.. (string[])["exec", "--full-auto", "--skip-git-repo-check"], .. Model("-m", model), prompt], ["OPENAI_API_KEY", "CODEX_API_KEY"]),
        ["aider"] = new("aider", (_, file, model) => [.. (string[])["--yes-always", "--no-auto-commits", "--no-gitignore", "--no-check-update", "--message-file", file], .. Model("--model", model)], ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"]),
        ["copilot"] = new("copilot", (prompt, _, model) => [.. (string[])["-p", prompt, "--allow-all-tools"], .. Model("--model", model)], ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"]),
    };

    /// <inheritdoc />
    public async Task<AgentRunResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings;
        var promptFile = request.TempFile("loops-prompt-", ".md");
        await File.WriteAllTextAsync(promptFile, request.Prompt, cancellationToken);
        try
        {
            var worktree = request.Sandbox.Root;
            ProcessSpec spec;
            IReadOnlyList<string> keys;
            if (settings.Preset is { } name && Presets.TryGetValue(name, out var preset))
            {
                spec = new ProcessSpec(preset.Program, preset.Arguments(request.Prompt, promptFile, settings.Model), worktree);
                keys = preset.KeyVariables;
            }
            else
            {
                var line = settings.Command!.Replace("{prompt_file}", Quote(promptFile), StringComparison.Ordinal).Replace("{model}", Quote(settings.Model ?? ""), StringComparison.Ordinal).Replace("{worktree}", Quote(worktree), StringComparison.Ordinal);
                spec = ProcessSpec.Shell(line, worktree);
                keys = [];
            }

            spec = spec with
            {
                Environment = AgentEnvironment([.. keys, .. settings.Environment], promptFile, worktree),
                Timeout = request.Timeout,
                OnOutputLine = request.Log.Write,
            };
            request.Log.Write($"$ {spec.FileName} … (agent {settings.Preset ?? "command"}, attempt prompt {request.Prompt.Length:N0} chars)");
            ProcessResult result;
            try
            {
                result = await request.Processes.RunAsync(spec, cancellationToken);
            }
            catch (ToolNotFoundException ex)
            {
                var hint = settings.Preset is { } p ? $"Install the {p} CLI ({Presets[p].Program}) on the runner, or choose another agent.preset." : "Check agent.command.";
                return Failed(Diagnostic.Error(DiagnosticCodes.AgentCliMissing, $"The agent CLI '{ex.FileName}' is not installed or not on PATH.", hint: hint));
            }

            if (result.TimedOut)
            {
                return Failed(Diagnostic.Error(DiagnosticCodes.AgentTimedOut, $"The agent did not finish within {Briefs.DurationParser.Format(request.Timeout)}; its process tree was killed.", hint: "Raise agent.timeout, or make the mission smaller."), result.Tail());
            }

            return result.Succeeded
                ? new AgentRunResult(true, LastLine(result.StandardOutput) ?? "the agent finished", new AgentUsage(1, 0, 0), LogTail: result.Tail())
                : Failed(Diagnostic.Error(DiagnosticCodes.AgentFailed, $"The agent exited with code {result.ExitCode}.", hint: "See the log tail; a missing key is the usual cause."), result.Tail());
        }
        finally
        {
            File.Delete(promptFile);
        }
    }

    /// <summary>
    /// The variables the agent gets besides the allowlist every process gets (<see cref="ChildEnvironment"/>): the
    /// preset's key variables and <c>agent.env</c>, by value, so they reach it inside the sandbox too.
    /// </summary>
    private static Dictionary<string, string?> AgentEnvironment(IReadOnlyList<string> allowed, string promptFile, string worktree)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in allowed)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        environment["LOOPS_PROMPT_FILE"] = promptFile;
        environment["LOOPS_WORKTREE"] = worktree;
        return environment;
    }

    private static AgentRunResult Failed(Diagnostic problem, string tail = "") => new(false, problem.Message, new AgentUsage(1, 0, 0), problem, tail);

    private static string[] Model(string flag, string? model) => model is null ? [] : [flag, model];

    private static string Quote(string value) => OperatingSystem.IsWindows() ? $"\"{value}\"" : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string? LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
