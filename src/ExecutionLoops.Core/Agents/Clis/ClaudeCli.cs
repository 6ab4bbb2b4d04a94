using System.Text.Json;

namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// Claude Code (<c>claude</c>, npm <c>@anthropic-ai/claude-code</c>). <c>--permission-mode acceptEdits</c> alone edits
/// files but refuses every shell command, so the agent could neither build nor test: the tools it needs are
/// allowed by name. Its report is the stream-json transcript, whose last line has the usage and the refusals.
/// </summary>
internal sealed class ClaudeCli : AgentCli
{
    /// <summary>The tools an unattended mission needs: edit, read, search and the shell for build and test.</summary>
    public const string AllowedTools = "Bash,Edit,Write,Read,Glob,Grep,NotebookEdit";

    /// <inheritdoc />
    public override string Name => "claude";

    /// <inheritdoc />
    public override IReadOnlyList<string> KeyVariables { get; } = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Variables { get; } = ["ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "CLAUDE_CODE_MAX_RETRIES", "API_TIMEOUT_MS"];

    /// <inheritdoc />
    public override AgentCliInvocation Invocation(AgentCliContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // No telemetry, error reports or update checks: the agent talks to its endpoint only.
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
        };
        if (context.Endpoint is { } endpoint)
        {
            environment["ANTHROPIC_BASE_URL"] = endpoint;
        }

        return new AgentCliInvocation(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", "--allowedTools", AllowedTools, .. ModelOption("--model", context.Model)], environment)
        {
            // A dead endpoint fails in about two seconds instead of retrying for minutes.
            Defaults = new Dictionary<string, string> { ["CLAUDE_CODE_MAX_RETRIES"] = "2" },
        };
    }

    /// <inheritdoc />
    public override AgentCliOutput Read(string output, AgentCliContext context)
    {
        var lines = JsonLines(output).ToList();
        var failedResults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in lines
            .Where(l => Text(l, "type") == "user")
            .SelectMany(l => Property(l, "message", "content") is { ValueKind: JsonValueKind.Array } content ? content.EnumerateArray() : [])
            .Where(block => Text(block, "type") == "tool_result" && Property(block, "is_error").ValueKind == JsonValueKind.True))
        {
            failedResults[Text(block, "tool_use_id") ?? ""] = ContentText(block);
        }

        var result = lines.LastOrDefault(l => Text(l, "type") == "result");
        if (result.ValueKind != JsonValueKind.Object)
        {
            return AgentCliOutput.None with { Refusals = [.. failedResults.Values.Where(IsRefusal)] };
        }

        var denied = Property(result, "permission_denials") is { ValueKind: JsonValueKind.Array } denials
            ? denials.EnumerateArray().Select(d => failedResults.GetValueOrDefault(Text(d, "tool_use_id") ?? "") ?? $"{Text(d, "tool_name")} was not permitted").ToList()
            : [];
        var refusals = denied.Concat(failedResults.Values.Where(IsRefusal)).Distinct().ToList();
        var usage = Property(result, "usage");
        var tokensIn = Number(usage, "input_tokens") + Number(usage, "cache_creation_input_tokens") + Number(usage, "cache_read_input_tokens");
        var summary = Text(result, "result");
        var failed = Property(result, "is_error").ValueKind == JsonValueKind.True;
        return new AgentCliOutput(failed ? null : summary, new AgentUsage((int)Math.Max(1, Number(result, "num_turns")), tokensIn, Number(usage, "output_tokens")), refusals, failed ? summary : null);
    }

    private static string ContentText(JsonElement block) => Property(block, "content") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Array } parts => string.Join("\n", parts.EnumerateArray().Select(p => Text(p, "text")).OfType<string>()),
        _ => "",
    };
}
