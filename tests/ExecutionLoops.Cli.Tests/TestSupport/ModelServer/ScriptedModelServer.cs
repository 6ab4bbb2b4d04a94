using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>A request the server answered: the protocol, what it carried and what the script answered.</summary>
public sealed record ModelExchange(string Path, ModelConversation Conversation, ModelStep Step, TokenCount Usage);

/// <summary>
/// A model server on 127.0.0.1 speaking every protocol the coding-agent CLIs use (Anthropic Messages, OpenAI
/// Responses and Chat Completions, Gemini generateContent), over real HTTP with server-sent events. The answer
/// to each request comes from <see cref="Script"/>, given what the conversation holds so far, so a CLI's side
/// requests and retries never shift the script. Every request is kept for the test to read.
/// </summary>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private static readonly IModelProtocol Anthropic = new AnthropicMessagesProtocol();
    private static readonly IModelProtocol Responses = new OpenAIResponsesProtocol();
    private static readonly IModelProtocol Chat = new ChatCompletionsProtocol();
    private static readonly IModelProtocol Gemini = new GeminiProtocol();
    private readonly WebApplication _app;

    private ScriptedModelServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port, without a path.</summary>
    public string Url => _app.Urls.First();

    /// <summary>Answers by the conversation so far; by default the final answer "done".</summary>
    public Func<ModelConversation, ModelStep> Script { get; set; } = _ => new ModelStep.Answer("done");

    /// <summary>The tokens each answer reports.</summary>
    public TokenCount Usage { get; set; } = new(1000, 50);

    /// <summary>When set, requests are held this long before the answer (a hung model).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every answered model request, in order.</summary>
    public ConcurrentQueue<ModelExchange> Exchanges { get; } = new();

    /// <summary>Every request path, model or not (preflights, counts), in order.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    /// <summary>Scripts a list of steps: the n-th tool result gets step n; after the last one, the final answer.</summary>
    public void Play(params ModelStep[] steps) =>
        Script = conversation => conversation.Turn < steps.Length ? steps[conversation.Turn] : new ModelStep.Answer("done");

    /// <summary>The exchanges of the agent's own turns (its side requests left out).</summary>
    public IReadOnlyList<ModelExchange> AgentTurns => Exchanges.Where(e => e.Conversation.OffersTools).ToList();

    public static async Task<ScriptedModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedModelServer(app);
        app.Use(async (context, next) =>
        {
            server.Paths.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        app.MapPost("/v1/messages/count_tokens", () => Results.Json(new { input_tokens = server.Usage.Input }));
        app.MapPost("/v1/messages", context => server.AnswerAsync(context, Anthropic));
        app.MapPost("/v1/responses", context => server.AnswerAsync(context, Responses));
        app.MapPost("/v1/chat/completions", context => server.AnswerAsync(context, Chat));
        app.MapPost("/v1beta/models/{call}", context => ((string)context.Request.RouteValues["call"]!).EndsWith(":countTokens", StringComparison.Ordinal)
            ? context.Response.WriteAsJsonAsync(new { totalTokens = server.Usage.Input })
            : server.AnswerAsync(context, Gemini));
        app.MapFallback(() => Results.Json(new { }));
        await app.StartAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext context, IModelProtocol protocol)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        var conversation = protocol.Read(body);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var step = conversation.OffersTools ? Script(conversation) : new ModelStep.Answer("ok");
        Exchanges.Enqueue(new ModelExchange(context.Request.Path, conversation, step, Usage));
        await protocol.WriteAsync(context.Response, body, conversation, step, Usage);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
