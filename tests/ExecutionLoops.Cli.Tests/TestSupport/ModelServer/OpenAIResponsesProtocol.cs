using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>OpenAI Responses (Codex CLI): <c>POST /v1/responses</c>, streamed as server-sent events. Codex edits files through its shell tool, in its working directory.</summary>
internal sealed class OpenAIResponsesProtocol : IModelProtocol
{
    public string Name => "responses";

    public ModelConversation Read(JsonNode body)
    {
        var items = body["input"]!.AsArray();
        var user = string.Join("\n", items.Where(i => (string?)i!["type"] == "message" && (string?)i["role"] == "user").Select(i => ServerSentEvents.TextOf(i!["content"])));
        var results = items.Where(i => ((string?)i!["type"])?.EndsWith("_call_output", StringComparison.Ordinal) == true).Select(i => ServerSentEvents.TextOf(i!["output"])).ToList();
        return new ModelConversation(Name, null, user, results, body["tools"] is JsonArray { Count: > 0 });
    }

    public async Task WriteAsync(HttpResponse response, JsonNode body, ModelConversation conversation, ModelStep step, TokenCount usage)
    {
        JsonObject item = step switch
        {
            ModelStep.WriteFile write => Command($"mkdir -p \"$(dirname '{write.Path}')\" && cat > '{write.Path}' <<'LOOPS_EOF'\n{write.Content}LOOPS_EOF"),
            ModelStep.Shell shell => Command(shell.Command),
            ModelStep.Answer answer => new JsonObject
            {
                ["type"] = "message", ["id"] = ServerSentEvents.Id("msg_"), ["role"] = "assistant", ["status"] = "completed",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = answer.Text, ["annotations"] = new JsonArray() }),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var id = ServerSentEvents.Id("resp_");
        ServerSentEvents.Start(response);
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "response.created", ["response"] = new JsonObject { ["id"] = id, ["status"] = "in_progress" } }, "response.created");
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "response.output_item.added", ["output_index"] = 0, ["item"] = item.DeepClone() }, "response.output_item.added");
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "response.output_item.done", ["output_index"] = 0, ["item"] = item }, "response.output_item.done");
        await ServerSentEvents.WriteAsync(response, new JsonObject
        {
            ["type"] = "response.completed",
            ["response"] = new JsonObject
            {
                ["id"] = id, ["status"] = "completed",
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = usage.Input, ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                    ["output_tokens"] = usage.Output, ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
                    ["total_tokens"] = usage.Input + usage.Output,
                },
            },
        }, "response.completed");
    }

    // yield_time_ms at its maximum: a build answers within the call instead of being polled.
    private static JsonObject Command(string command) => new()
    {
        ["type"] = "function_call", ["id"] = ServerSentEvents.Id("fc_"), ["call_id"] = ServerSentEvents.Id("call_"), ["status"] = "completed", ["name"] = "exec_command",
        ["arguments"] = new JsonObject { ["cmd"] = command, ["yield_time_ms"] = 30000 }.ToJsonString(),
    };
}
