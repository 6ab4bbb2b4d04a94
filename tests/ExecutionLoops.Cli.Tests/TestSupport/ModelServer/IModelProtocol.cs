using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>One model API as a CLI speaks it: read a request into a <see cref="ModelConversation"/>, write a step back.</summary>
public interface IModelProtocol
{
    /// <summary>The protocol's short name.</summary>
    string Name { get; }

    /// <summary>What the request carries.</summary>
    ModelConversation Read(JsonNode body);

    /// <summary>Writes <paramref name="step"/> as the protocol's response (streamed when the request asked for it).</summary>
    Task WriteAsync(HttpResponse response, JsonNode body, ModelConversation conversation, ModelStep step, TokenCount usage);
}

/// <summary>The tokens one scripted response reports.</summary>
public sealed record TokenCount(int Input, int Output);
