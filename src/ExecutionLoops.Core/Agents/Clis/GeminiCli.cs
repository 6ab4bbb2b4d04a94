using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// Gemini CLI (<c>gemini</c>, npm <c>@google/gemini-cli</c>). Headless from standard input, every tool approved,
/// the clone trusted for the session. Settings it takes only from a file (fewer retries, no usage statistics, no
/// update checks, API-key auth for an endpoint) are written to a home of its own for the attempt
/// (<c>GEMINI_CLI_HOME</c>); its report is the stream-json event stream.
/// </summary>
internal sealed class GeminiCli : AgentCli
{
    /// <inheritdoc />
    public override string Name => "gemini";

    /// <inheritdoc />
    public override IReadOnlyList<string> KeyVariables { get; } = ["GEMINI_API_KEY", "GOOGLE_API_KEY"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Variables { get; } = ["GOOGLE_GEMINI_BASE_URL", "GEMINI_MODEL", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"];

    /// <inheritdoc />
    public override AgentCliInvocation Invocation(AgentCliContext context)
    {
        var home = Path.Combine(context.Scratch, "gemini-home");
        var settings = new JsonObject
        {
            ["general"] = new JsonObject { ["maxAttempts"] = 2, ["enableAutoUpdate"] = false, ["enableAutoUpdateNotification"] = false },
            ["privacy"] = new JsonObject { ["usageStatisticsEnabled"] = false },
            ["telemetry"] = new JsonObject { ["enabled"] = false },
        };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GEMINI_CLI_HOME"] = home,
            ["GEMINI_SANDBOX"] = "false",
            ["GEMINI_TELEMETRY_ENABLED"] = "false",
        };
        if (context.Endpoint is { } endpoint)
        {
            // With a base URL it would pick "gateway" auth, which headless mode refuses; the API key is what the endpoint takes.
            settings["security"] = new JsonObject { ["auth"] = new JsonObject { ["selectedType"] = "gemini-api-key" } };
            environment["GOOGLE_GEMINI_BASE_URL"] = endpoint;
        }

        Directory.CreateDirectory(Path.Combine(home, ".gemini"));
        File.WriteAllText(Path.Combine(home, ".gemini", "settings.json"), settings.ToJsonString());
        return new AgentCliInvocation(["--approval-mode", "yolo", "--skip-trust", "--output-format", "stream-json", .. ModelOption("--model", context.Model)], environment);
    }

    /// <inheritdoc />
    public override AgentCliOutput Read(string output, AgentCliContext context)
    {
        var events = JsonLines(output).ToList();
        var refusals = events
            .Where(e => Text(e, "type") == "tool_result" && Text(e, "status") == "error")
            .Select(e => Text(Property(e, "error"), "message") ?? Text(e, "output") ?? "")
            .Where(IsRefusal)
            .ToList();
        var lastTool = events.FindLastIndex(e => Text(e, "type") is "tool_use" or "tool_result");
        var answer = string.Concat(events.Skip(lastTool + 1).Where(e => Text(e, "type") == "message" && Text(e, "role") == "assistant").Select(e => Text(e, "content")));
        var result = events.LastOrDefault(e => Text(e, "type") == "result");
        var stats = Property(result, "stats");
        AgentUsage? usage = stats.ValueKind == JsonValueKind.Object ? new AgentUsage((int)Number(stats, "tool_calls") + 1, Number(stats, "input_tokens"), Number(stats, "output_tokens")) : null;
        var error = events.Where(e => Text(e, "type") is "error" or "result").Select(e => Text(Property(e, "error"), "message") ?? (Text(e, "type") == "error" ? Text(e, "message") : null)).LastOrDefault(m => m is not null);
        return new AgentCliOutput(answer.Length == 0 ? null : answer, usage, refusals, error);
    }
}
