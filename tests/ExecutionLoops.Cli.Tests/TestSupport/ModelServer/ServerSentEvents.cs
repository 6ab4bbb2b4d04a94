using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>What the protocols share: server-sent events, the text of JSON content, ids.</summary>
internal static partial class ServerSentEvents
{
    private static int s_ids;

    /// <summary>A new id with a prefix, unique in this process.</summary>
    public static string Id(string prefix) => $"{prefix}{Interlocked.Increment(ref s_ids):D6}";

    /// <summary>Starts an event stream.</summary>
    public static void Start(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    /// <summary>Writes one event (with an <c>event:</c> line when named) and flushes it.</summary>
    public static async Task WriteAsync(HttpResponse response, JsonNode data, string? name = null)
    {
        var text = (name is null ? "" : $"event: {name}\n") + $"data: {data.ToJsonString()}\n\n";
        await response.WriteAsync(text);
        await response.Body.FlushAsync();
    }

    /// <summary>All text in a JSON value: strings, and the <c>text</c>/<c>content</c>/<c>output</c> of objects, recursively.</summary>
    public static string TextOf(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray array => string.Join("\n", array.Select(TextOf)),
        JsonObject obj => string.Join("\n", new[] { "text", "content", "output", "result" }.Where(obj.ContainsKey).Select(key => TextOf(obj[key]))),
        _ => "",
    };

    /// <summary>The first capture of <paramref name="pattern"/> in <paramref name="text"/>, trimmed, or null.</summary>
    public static string? Find(string text, Regex pattern) => pattern.Match(text) is { Success: true } match ? match.Groups[1].Value.Trim() : null;

    /// <summary>A path under the CLI's working directory (CLIs' file tools want absolute paths).</summary>
    public static string Absolute(ModelConversation conversation, string path) =>
        conversation.WorkingDirectory is { } root ? Path.Combine(root, path) : path;
}
