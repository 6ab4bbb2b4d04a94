using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>OpenAI Chat Completions (Copilot CLI's BYOK default): <c>POST /v1/chat/completions</c>, streamed or not.</summary>
internal sealed partial class ChatCompletionsProtocol : IModelProtocol
{
    public string Name => "chat";

    public ModelConversation Read(JsonNode body)
    {
        var messages = body["messages"]!.AsArray();
        var user = string.Join("\n", messages.Where(m => (string?)m!["role"] == "user").Select(m => ServerSentEvents.TextOf(m!["content"])));
        var results = messages.Where(m => (string?)m!["role"] == "tool").Select(m => ServerSentEvents.TextOf(m!["content"])).ToList();
        var everything = string.Join("\n", messages.Select(m => ServerSentEvents.TextOf(m!["content"])));
        return new ModelConversation(Name, ServerSentEvents.Find(everything, WorkingDirectory()), user, results, body["tools"] is JsonArray { Count: > 0 });
    }

    public async Task WriteAsync(HttpResponse response, JsonNode body, ModelConversation conversation, ModelStep step, TokenCount usage)
    {
        var (call, text) = step switch
        {
            ModelStep.WriteFile write => (Call("create", new JsonObject { ["path"] = ServerSentEvents.Absolute(conversation, write.Path), ["file_text"] = write.Content }), null),
            ModelStep.Shell shell => (Call("bash", new JsonObject { ["command"] = shell.Command, ["description"] = "scripted command", ["mode"] = "sync", ["initial_wait"] = 120 }), null),
            ModelStep.Answer answer => ((JsonObject?)null, answer.Text),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var finish = call is null ? "stop" : "tool_calls";
        var id = ServerSentEvents.Id("chatcmpl-");
        var tokens = new JsonObject { ["prompt_tokens"] = usage.Input, ["completion_tokens"] = usage.Output, ["total_tokens"] = usage.Input + usage.Output };
        if (body["stream"]?.GetValue<bool>() != true)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = text, ["tool_calls"] = call is null ? null : new JsonArray(call) };
            await response.WriteAsJsonAsync(Chunk(id, "chat.completion", new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }, tokens));
            return;
        }

        ServerSentEvents.Start(response);
        var delta = new JsonObject { ["role"] = "assistant", ["content"] = text };
        if (call is not null)
        {
            call["index"] = 0;
            delta["tool_calls"] = new JsonArray(call);
        }

        await ServerSentEvents.WriteAsync(response, Chunk(id, "chat.completion.chunk", new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }));
        await ServerSentEvents.WriteAsync(response, Chunk(id, "chat.completion.chunk", new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = finish }));
        var last = Chunk(id, "chat.completion.chunk", null, tokens);
        await ServerSentEvents.WriteAsync(response, last);
        await response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Call(string name, JsonObject arguments) => new()
    {
        ["id"] = ServerSentEvents.Id("call_"), ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments.ToJsonString() },
    };

    private static JsonObject Chunk(string id, string kind, JsonObject? choice, JsonObject? usage = null) => new()
    {
        ["id"] = id, ["object"] = kind, ["created"] = 1_700_000_000, ["model"] = "scripted",
        ["choices"] = choice is null ? new JsonArray() : new JsonArray(choice), ["usage"] = usage,
    };

    [GeneratedRegex(@"(?:current working directory|working directory)[^/\n]*?(/[^\s`'""<>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex WorkingDirectory();
}
