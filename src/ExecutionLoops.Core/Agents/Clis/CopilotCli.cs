using System.Text.Json;

namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// GitHub Copilot CLI (<c>copilot</c>, npm <c>@github/copilot</c>). An endpoint is its BYOK provider, with offline
/// mode so it makes no other connection. The workflow's <c>GITHUB_TOKEN</c>/<c>GH_TOKEN</c> (write rights in CI)
/// reach it only when <c>agent.env</c> names them. It reports tokens in a usage file, not in its output.
/// </summary>
internal sealed class CopilotCli : AgentCli
{
    private const string UsageFile = "copilot-usage.json";

    /// <inheritdoc />
    public override string Name => "copilot";

    /// <inheritdoc />
    public override IReadOnlyList<string> KeyVariables { get; } = ["COPILOT_GITHUB_TOKEN", "COPILOT_PROVIDER_API_KEY", "COPILOT_PROVIDER_BEARER_TOKEN"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Variables { get; } =
    [
        "COPILOT_PROVIDER_BASE_URL", "COPILOT_PROVIDER_TYPE", "COPILOT_PROVIDER_WIRE_API", "COPILOT_PROVIDER_MODEL_ID", "COPILOT_PROVIDER_WIRE_MODEL",
        "COPILOT_PROVIDER_MAX_PROMPT_TOKENS", "COPILOT_PROVIDER_MAX_OUTPUT_TOKENS", "COPILOT_MODEL", "COPILOT_OFFLINE", "COPILOT_PKG_CACHE_HOME", "GH_HOST",
    ];

    /// <inheritdoc />
    public override string KeyVariable(AgentCliContext context) => context.Endpoint is null ? "COPILOT_GITHUB_TOKEN" : "COPILOT_PROVIDER_API_KEY";

    /// <inheritdoc />
    public override AgentCliInvocation Invocation(AgentCliContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["COPILOT_AUTO_UPDATE"] = "false" };
        if (context.Endpoint is { } endpoint)
        {
            environment["COPILOT_PROVIDER_BASE_URL"] = endpoint;
            environment["COPILOT_OFFLINE"] = "true";
        }

        return new AgentCliInvocation(
            ["--allow-all-tools", "--no-ask-user", "--no-auto-update", "--disable-client-telemetry", "--output-format", "json", "--usage-output-file", Path.Combine(context.Scratch, UsageFile), .. ModelOption("--model", context.Model)],
            environment);
    }

    /// <inheritdoc />
    public override AgentCliOutput Read(string output, AgentCliContext context)
    {
        var events = JsonLines(output).ToList();
        var refusals = events
            .Where(e => Text(e, "type") == "tool.execution_complete" && Property(e, "data", "success").ValueKind == JsonValueKind.False)
            .Select(e => Property(e, "data", "error"))
            .Where(error => Text(error, "code") == "denied" || IsRefusal(Text(error, "message") ?? ""))
            .Select(error => Text(error, "message") ?? "denied")
            .ToList();
        var summary = events.Where(e => Text(e, "type") == "assistant.message").Select(e => Text(Property(e, "data"), "content")).LastOrDefault(c => !string.IsNullOrWhiteSpace(c));
        var error = events.Where(e => Text(e, "type") == "session.error").Select(e => Text(Property(e, "data"), "message")).LastOrDefault(m => m is not null);
        return new AgentCliOutput(summary, Usage(Path.Combine(context.Scratch, UsageFile)), refusals, error);
    }

    private static AgentUsage? Usage(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var models = Property(document.RootElement, "modelMetrics");
            if (models.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var metrics = models.EnumerateObject().Select(m => m.Value).ToList();
            return new AgentUsage(
                (int)metrics.Sum(m => Number(Property(m, "requests"), "count")),
                metrics.Sum(m => Number(Property(m, "usage"), "inputTokens")),
                metrics.Sum(m => Number(Property(m, "usage"), "outputTokens")));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
