using System.Text;
using ExecutionLoops.Agents;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Isolation;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: agent</c>: free-form toil handed to an AI coding agent (a CLI or a chat endpoint). The engine, not
/// the agent, decides what is acceptable: after the attempt the sandbox reverts what broke the rules, and the
/// mission's gates (with secrets always among them) judge the rest; failures come back as the next attempt's
/// prompt.
/// </summary>
internal class AgentToil(Func<AgentSettings, IAgentBackend>? backends = null) : IToil
{
    /// <inheritdoc />
    public virtual string Kind => "agent";

    /// <inheritdoc />
    public virtual string Summary => "Free-form work by a coding agent, behind the gates, in an OS sandbox.";

    /// <inheritdoc />
    public bool RunsAgentCode => true;

    /// <inheritdoc />
    public IEnumerable<Diagnostic> Validate(MissionBrief brief, LoopsConfig config)
    {
        var (settings, problems) = AgentSettings.Resolve(config.Agent, brief.Agent);
        foreach (var problem in problems)
        {
            yield return Diagnostic.Error(DiagnosticCodes.AgentConfigInvalid, problem, brief.RelativePath, 1, 1, "Set agent: in the brief or in .loops/config.yml (LOOPS_AGENT_* variables also work).");
        }

        if (settings.Sandbox == SandboxMode.None)
        {
            yield return Diagnostic.Warning(DiagnosticCodes.SandboxDisabled, "agent.sandbox is none: the agent, and the build, tests and commands that run its code, will run without an OS sandbox (separate clone and environment allowlist only).", brief.RelativePath, 1, 1, "Remove 'sandbox: none' unless this runner cannot run bubblewrap or a container; see docs/security.md.");
        }
    }

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var (settings, problems) = AgentSettings.Resolve(context.Config.Agent, context.Brief.Agent);
        if (problems.Count > 0)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.AgentConfigInvalid, problems[0], context.Brief.RelativePath, hint: "Set agent: in the brief or .loops/config.yml."));
        }

        var extra = await PrepareAsync(context, cancellationToken);
        var prompt = AgentPromptBuilder.Build(context.Brief, context.WorktreePath, new AgentPromptInput(context.Feedback, context.PreviousFailures, context.Attempt, extra) { Gates = context.Gates }, settings.ContextBudget);
        var sandbox = new AgentSandbox(context.WorktreePath, context.Brief, context.Config);
        var backend = backends?.Invoke(settings) ?? (settings.Use == AgentBackendKind.Chat ? new ChatAgent() : new CommandAgent());
        var timeout = settings.Timeout is { } limit && limit < context.Timeout ? limit : context.Timeout;
        context.Log.Write($"agent attempt {context.Attempt}: {(settings.Use == AgentBackendKind.Chat ? $"chat {settings.Model} at {settings.Endpoint}" : settings.Preset ?? "custom command")}");

        // The engine's own git, outside the sandbox, watches the places in .git where planted content would run later.
        var git = await GitRepository.DiscoverAsync(context.WorktreePath, context.EngineProcesses ?? context.Processes, cancellationToken);
        var guard = await CloneGuard.CaptureAsync(git, context.WorktreePath, cancellationToken);
        var result = await backend.RunAsync(new AgentRequest(prompt, sandbox, settings, context.Log, context.Processes, context.RunGates, timeout) { TempDirectory = context.TempDirectory }, cancellationToken);

        // Whatever happened, the worktree is brought back inside the rules before anything else looks at it.
        var violations = (await guard.RestoreAsync(git, context.WorktreePath, cancellationToken)).Concat(await sandbox.EnforceAsync(git, context.BaseCommit ?? "HEAD", cancellationToken)).ToList();
        foreach (var violation in violations)
        {
            context.Log.Write(violation.ToString());
        }

        var usage = result.Usage.Describe(settings);
        var report = new Reporting.AgentUsageReport(1, result.Usage.Turns, result.Usage.InputTokens, result.Usage.OutputTokens, result.Usage.Cost(settings));
        if (!result.Succeeded)
        {
            return new ToilResult(false, $"{result.Problem!.Message} ({usage})", [result.Problem with { Path = result.Problem.Path ?? context.Brief.RelativePath }], result.LogTail) { Usage = report };
        }

        return new ToilResult(true, $"agent attempt {context.Attempt}: {First(result.Summary)} ({usage})", [], result.LogTail)
        {
            Usage = report,
            SandboxViolations = violations,
            Details = Describe(settings, result, context.Attempt, violations),
        };
    }

    /// <summary>A kind's own preparation and prompt section (tests: coverage); none for free-form agent work.</summary>
    protected virtual Task<string?> PrepareAsync(ToilContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    private static string Describe(AgentSettings settings, AgentRunResult result, int attempt, IReadOnlyList<Diagnostic> violations)
    {
        var text = new StringBuilder();
        text.AppendLine($"**Agent:** {(settings.Use == AgentBackendKind.Chat ? $"chat, model `{settings.Model}`" : $"`{settings.Preset ?? "custom command"}`{(settings.Model is null ? "" : $", model `{settings.Model}`")}")}; attempt {attempt} of {settings.MaxAttempts}; {result.Usage.Describe(settings)}.");
        text.AppendLine();
        text.AppendLine($"> {result.Summary.Trim().Replace("\n", "\n> ", StringComparison.Ordinal)}");
        if (violations.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Reverted by the sandbox:");
            foreach (var violation in violations)
            {
                text.AppendLine($"- `{violation.Path}`: {violation.Message}");
            }
        }

        return text.ToString();
    }

    private static string First(string text)
    {
        var line = text.Trim().Split('\n')[0];
        return line.Length > 120 ? line[..117] + "…" : line;
    }
}
