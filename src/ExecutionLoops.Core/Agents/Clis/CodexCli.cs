using System.Text.Json;

namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// Codex CLI (<c>codex exec</c>, npm <c>@openai/codex</c>). It has no <c>--full-auto</c> any more: the sandbox is
/// chosen with <c>--sandbox</c> and approvals are off in <c>exec</c>. Inside the engine's sandbox its own is left
/// off (<c>danger-full-access</c>), because where user namespaces cannot nest every tool call would fail while
/// Codex exits 0; with <c>agent.sandbox: none</c> it confines itself (<c>workspace-write</c>). An endpoint becomes a
/// provider of its own (Responses API only), and its report is the <c>--json</c> event stream.
/// </summary>
public sealed class CodexCli : AgentCli
{
    private const string Provider = "loops";

    /// <inheritdoc />
    public override string Name => "codex";

    /// <inheritdoc />
    public override IReadOnlyList<string> KeyVariables { get; } = ["CODEX_API_KEY", "OPENAI_API_KEY"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Variables { get; } = ["OPENAI_BASE_URL", "CODEX_HOME"];

    /// <inheritdoc />
    public override AgentCliInvocation Invocation(AgentCliContext context)
    {
        List<string> arguments =
        [
            "exec", "--skip-git-repo-check", "--json", "--sandbox", context.Confined ? "danger-full-access" : "workspace-write",
            "-c", "approval_policy=\"never\"", "-c", "check_for_update_on_startup=false", "-c", "analytics.enabled=false",

            // Plugins and apps sync with GitHub and ChatGPT at start; unbounded retries wait for a dead endpoint forever.
            "--disable", "plugins", "--disable", "apps", "--disable", "unbounded_connection_retries",
            .. ModelOption("--model", context.Model),
        ];
        if (context.Endpoint is { } endpoint)
        {
            // Its built-in provider cannot be redirected or tuned; a provider of our own can, with few retries.
            foreach (var (key, value) in new[] { ("name", Toml(Provider)), ("base_url", Toml(endpoint)), ("wire_api", Toml("responses")), ("env_key", Toml(KeyVariables[0])), ("request_max_retries", "1"), ("stream_max_retries", "1") })
            {
                arguments.AddRange(["-c", $"model_providers.{Provider}.{key}={value}"]);
            }

            arguments.AddRange(["-c", $"model_provider={Toml(Provider)}"]);
        }

        // "-": the prompt comes from standard input.
        return new AgentCliInvocation([.. arguments, "-"], new Dictionary<string, string>());
    }

    /// <inheritdoc />
    public override AgentCliOutput Read(string output, AgentCliContext context)
    {
        var events = JsonLines(output).ToList();
        var items = events.Where(e => Text(e, "type") == "item.completed").Select(e => Property(e, "item")).ToList();
        var commands = items.Where(i => Text(i, "type") == "command_execution").ToList();
        var refusals = commands
            .Where(c => Property(c, "exit_code") is { ValueKind: JsonValueKind.Number } code && code.GetInt32() != 0 && IsRefusal(Text(c, "aggregated_output") ?? ""))
            .Select(c => $"{Text(c, "command")}: {Text(c, "aggregated_output")?.Trim()}")
            .ToList();
        var turns = events.Where(e => Text(e, "type") == "turn.completed").ToList();
        AgentUsage? usage = turns.Count == 0 ? null : new AgentUsage(
            turns.Count + items.Count(i => Text(i, "type") is "command_execution" or "file_change" or "mcp_tool_call" or "web_search"),
            turns.Sum(t => Number(Property(t, "usage"), "input_tokens")),
            turns.Sum(t => Number(Property(t, "usage"), "output_tokens")));
        var error = events.Where(e => Text(e, "type") is "turn.failed" or "error").Select(e => Text(e, "message") ?? Text(Property(e, "error"), "message")).LastOrDefault(m => m is not null);
        var summary = items.Where(i => Text(i, "type") == "agent_message").Select(i => Text(i, "text")).LastOrDefault(t => t is not null);
        return new AgentCliOutput(summary, usage, refusals, error);
    }

    private static string Toml(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
