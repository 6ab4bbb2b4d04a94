using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>Gemini API (Gemini CLI): <c>POST /v1beta/models/{model}:streamGenerateContent?alt=sse</c> and <c>:generateContent</c>; its file tools take paths relative to its workspace.</summary>
internal sealed class GeminiProtocol : IModelProtocol
{
    public string Name => "gemini";

    public ModelConversation Read(JsonNode body)
    {
        var parts = body["contents"]!.AsArray().Where(c => (string?)c!["role"] == "user").SelectMany(c => c!["parts"]!.AsArray()).ToList();
        var user = string.Join("\n", parts.Where(p => p!["text"] is not null).Select(p => (string)p!["text"]!));
        var results = parts.Where(p => p!["functionResponse"] is not null).Select(p => p!["functionResponse"]!["response"]!.ToJsonString()).ToList();
        var tools = body["tools"] is JsonArray array && array.Any(t => t!["functionDeclarations"] is JsonArray { Count: > 0 });
        return new ModelConversation(Name, null, user, results, tools);
    }

    public async Task WriteAsync(HttpResponse response, JsonNode body, ModelConversation conversation, ModelStep step, TokenCount usage)
    {
        JsonObject part = step switch
        {
            ModelStep.WriteFile write => Call("write_file", new JsonObject { ["file_path"] = ServerSentEvents.Absolute(conversation, write.Path), ["content"] = write.Content }),
            ModelStep.Shell shell => Call("run_shell_command", new JsonObject { ["command"] = shell.Command, ["description"] = "scripted command" }),
            ModelStep.Answer answer => new JsonObject { ["text"] = answer.Text },
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var chunk = new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) }, ["finishReason"] = "STOP", ["index"] = 0 }),
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = usage.Input, ["candidatesTokenCount"] = usage.Output, ["totalTokenCount"] = usage.Input + usage.Output },
            ["modelVersion"] = "scripted",
        };
        if (!response.HttpContext.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
        {
            await response.WriteAsJsonAsync(chunk);
            return;
        }

        ServerSentEvents.Start(response);
        await ServerSentEvents.WriteAsync(response, chunk);
    }

    private static JsonObject Call(string name, JsonObject args) => new() { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = args } };
}
