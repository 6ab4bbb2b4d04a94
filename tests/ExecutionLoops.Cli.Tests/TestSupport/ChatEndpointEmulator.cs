using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint on 127.0.0.1 that replays a script: each request gets the
/// next scripted answer (tool calls, text, or an HTTP error). Requests are kept so tests can read what the
/// agent sent (the prompt, tool results).
/// </summary>
public sealed class ChatEndpointEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<JsonObject>> _script = new();
    private readonly ConcurrentQueue<int> _errors = new();

    private ChatEndpointEmulator(WebApplication app) => _app = app;

    /// <summary>The base URL for agent.endpoint.</summary>
    public string Endpoint => _app.Urls.First() + "/v1";

    /// <summary>Each request's JSON body.</summary>
    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The answer when the script is empty: a finish call.</summary>
    public Func<JsonObject>? WhenEmpty { get; set; }

    public static async Task<ChatEndpointEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new ChatEndpointEmulator(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            emulator.Requests.Enqueue(body!);
            await Task.Delay(emulator.Delay, context.RequestAborted);
            if (emulator._errors.TryDequeue(out var status))
            {
                return Results.Json(new { error = new { message = $"scripted {status}", type = "server_error" } }, statusCode: status);
            }

            var next = emulator._script.TryDequeue(out var answer) ? answer : emulator.WhenEmpty ?? (() => Call(("finish", """{"summary":"nothing left"}""")));
            return Results.Text(next().ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return emulator;
    }

    /// <summary>Queues an answer that calls tools: (name, raw JSON arguments).</summary>
    public ChatEndpointEmulator ThenCall(params (string Name, string Arguments)[] calls)
    {
        _script.Enqueue(() => Call(calls));
        return this;
    }

    /// <summary>Queues a plain text answer.</summary>
    public ChatEndpointEmulator ThenSay(string text)
    {
        _script.Enqueue(() => Completion(new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop"));
        return this;
    }

    /// <summary>The next requests fail with these HTTP statuses.</summary>
    public ChatEndpointEmulator ThenFail(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _errors.Enqueue(status);
        }

        return this;
    }

    /// <summary>The text of the tool results the agent sent in its last request.</summary>
    public IEnumerable<string> ToolResults() =>
        Requests.SelectMany(r => r!["messages"]!.AsArray()).Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]?.ToString() ?? "");

    public static JsonObject Call(params (string Name, string Arguments)[] calls)
    {
        var id = Interlocked.Increment(ref s_ids);
        var toolCalls = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
        {
            ["id"] = $"call_{id}_{i}",
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
        })]);
        return Completion(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = toolCalls }, "tool_calls");
    }

    private static int s_ids;

    private static JsonObject Completion(JsonObject message, string finishReason) => new()
    {
        ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
        ["object"] = "chat.completion",
        ["created"] = 1_700_000_000,
        ["model"] = "scripted",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 1000, ["completion_tokens"] = 50, ["total_tokens"] = 1050 },
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
