using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>Anthropic Messages (Claude Code): <c>POST /v1/messages</c>, streamed as server-sent events.</summary>
internal sealed partial class AnthropicMessagesProtocol : IModelProtocol
{
    public string Name => "anthropic";

    public ModelConversation Read(JsonNode body)
    {
        var messages = body["messages"]!.AsArray();
        var blocks = messages.Where(m => (string?)m!["role"] == "user").SelectMany(m => m!["content"] is JsonArray array ? array.ToList() : [m["content"]]).ToList();
        var results = blocks.Where(b => b is JsonObject o && (string?)o["type"] == "tool_result").Select(b => ServerSentEvents.TextOf(b!["content"])).ToList();
        var user = string.Join("\n", blocks.Where(b => b is JsonValue || (string?)b!["type"] == "text").Select(ServerSentEvents.TextOf));
        var everything = ServerSentEvents.TextOf(body["system"]) + "\n" + string.Join("\n", messages.Select(m => ServerSentEvents.TextOf(m!["content"])));
        return new ModelConversation(Name, ServerSentEvents.Find(everything, WorkingDirectory()), user, results, body["tools"] is JsonArray { Count: > 0 });
    }

    public async Task WriteAsync(HttpResponse response, JsonNode body, ModelConversation conversation, ModelStep step, TokenCount usage)
    {
        JsonObject block = step switch
        {
            ModelStep.WriteFile write => ToolUse("Write", new JsonObject { ["file_path"] = ServerSentEvents.Absolute(conversation, write.Path), ["content"] = write.Content }),
            ModelStep.Shell shell => ToolUse("Bash", new JsonObject { ["command"] = shell.Command, ["description"] = "scripted command" }),
            ModelStep.Answer answer => new JsonObject { ["type"] = "text", ["text"] = answer.Text },
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var stop = block["type"]!.GetValue<string>() == "tool_use" ? "tool_use" : "end_turn";
        var id = ServerSentEvents.Id("msg_");
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = body["model"]?.DeepClone(), ["content"] = new JsonArray(block),
                ["stop_reason"] = stop, ["usage"] = new JsonObject { ["input_tokens"] = usage.Input, ["output_tokens"] = usage.Output },
            });
            return;
        }

        ServerSentEvents.Start(response);
        await ServerSentEvents.WriteAsync(response, new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = body["model"]?.DeepClone(), ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = new JsonObject { ["input_tokens"] = usage.Input, ["output_tokens"] = 1 },
            },
        }, "message_start");
        JsonObject start, delta;
        if (block["type"]!.GetValue<string>() == "tool_use")
        {
            start = new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() };
            delta = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]!.ToJsonString() };
        }
        else
        {
            start = new JsonObject { ["type"] = "text", ["text"] = "" };
            delta = new JsonObject { ["type"] = "text_delta", ["text"] = block["text"]!.DeepClone() };
        }

        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = start }, "content_block_start");
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta }, "content_block_delta");
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }, "content_block_stop");
        await ServerSentEvents.WriteAsync(response, new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stop, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = usage.Output },
        }, "message_delta");
        await ServerSentEvents.WriteAsync(response, new JsonObject { ["type"] = "message_stop" }, "message_stop");
    }

    private static JsonObject ToolUse(string name, JsonObject input) => new() { ["type"] = "tool_use", ["id"] = ServerSentEvents.Id("toolu_"), ["name"] = name, ["input"] = input };

    [GeneratedRegex(@"Primary working directory: (\S+)")]
    private static partial Regex WorkingDirectory();
}
