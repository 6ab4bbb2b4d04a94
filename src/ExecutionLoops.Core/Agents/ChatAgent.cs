using System.ClientModel;
using System.ClientModel.Primitives;
using ExecutionLoops.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ExecutionLoops.Agents;

/// <summary>
/// <c>use: chat</c>: an OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio) through
/// Microsoft.Extensions.AI, driven by our own loop so the budgets hold: turns, tokens and wall time. Tool calls
/// run through <see cref="AgentTools"/>; malformed calls are answered and counted, and too many end the attempt.
/// </summary>
internal sealed class ChatAgent(Func<AgentSettings, IChatClient>? clientFactory = null) : IAgentBackend
{
    private const int MaxMalformed = 3;
    private const int MaxSilentTurns = 2;

    /// <inheritdoc />
    public async Task<AgentRunResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings;
        using var wallTime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wallTime.CancelAfter(request.Timeout);
        var client = (clientFactory ?? CreateClient)(settings);
        var tools = new AgentTools(request.Sandbox, request.Processes, request.RunGates, request.TempDirectory);
        var options = new ChatOptions { Tools = tools.Declarations(), ToolMode = ChatToolMode.Auto, ModelId = settings.Model };
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are a careful .NET coding agent. Work only through the tools. Read before you write, keep changes small and inside the scope, run the gates before you finish, then call finish."),
            new(ChatRole.User, request.Prompt),
        ];

        var usage = AgentUsage.None;
        var malformed = 0;
        var silent = 0;
        try
        {
            for (var turn = 1; turn <= settings.MaxTurns; turn++)
            {
                var response = await client.GetResponseAsync(messages, options, wallTime.Token);
                usage = new AgentUsage(turn, usage.InputTokens + (response.Usage?.InputTokenCount ?? 0), usage.OutputTokens + (response.Usage?.OutputTokenCount ?? 0));
                messages.AddRange(response.Messages);
                var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                request.Log.Write($"agent turn {turn}: {(calls.Count == 0 ? "text" : string.Join(", ", calls.Select(c => c.Name)))}; {usage.Describe(settings)}");
                if (calls.Count == 0)
                {
                    if (++silent > MaxSilentTurns)
                    {
                        return new AgentRunResult(true, Text(response) ?? "the agent stopped without calling finish", usage);
                    }

                    messages.Add(new ChatMessage(ChatRole.User, "Use the tools to make the change, run_gates to check it, then call finish with a summary."));
                    continue;
                }

                silent = 0;
                foreach (var call in calls)
                {
                    var (result, bad) = await tools.InvokeAsync(call, wallTime.Token);
                    request.Log.Write($"  {call.Name} → {First(result)}");
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
                    if (bad && ++malformed >= MaxMalformed)
                    {
                        return Failed(Diagnostic.Error(DiagnosticCodes.AgentMalformedResponse, $"The model sent {malformed} malformed tool calls (last: {call.Name}); the attempt was stopped.", hint: "Use a model with reliable tool calling."), usage);
                    }
                }

                if (tools.FinishSummary is { } summary)
                {
                    return new AgentRunResult(true, summary, usage);
                }

                if (usage.TotalTokens > settings.MaxTokens)
                {
                    return Failed(Diagnostic.Error(DiagnosticCodes.AgentBudgetExhausted, $"The agent used {usage.TotalTokens:N0} tokens, over its budget of {settings.MaxTokens:N0}, without finishing.", hint: "Raise agent.max-tokens, or narrow the specification."), usage);
                }
            }

            return Failed(Diagnostic.Error(DiagnosticCodes.AgentBudgetExhausted, $"The agent used all {settings.MaxTurns} turns without finishing.", hint: "Raise agent.max-turns, or narrow the specification."), usage);
        }
        catch (OperationCanceledException) when (wallTime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.AgentTimedOut, $"The agent did not finish within {Briefs.DurationParser.Format(request.Timeout)}.", hint: "Raise agent.timeout, or make the mission smaller."), usage);
        }
        catch (ClientResultException ex)
        {
            return Failed(Endpoint(ex, settings), usage);
        }
        catch (AggregateException ex)
        {
            // The client's retry policy wraps every failed try; the last one says what happened.
            return Failed(ex.InnerExceptions[^1] is ClientResultException last ? Endpoint(last, settings) : Diagnostic.Error(DiagnosticCodes.AgentEndpointUnreachable, $"The chat endpoint {settings.Endpoint} cannot be reached: {ex.InnerExceptions[^1].Message}", hint: "Check agent.endpoint and the network."), usage);
        }
        catch (HttpRequestException ex)
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.AgentEndpointUnreachable, $"The chat endpoint {settings.Endpoint} cannot be reached: {ex.Message}", hint: "Check agent.endpoint and the network."), usage);
        }
    }

    private static Diagnostic Endpoint(ClientResultException ex, AgentSettings settings) => ex.Status switch
    {
        401 or 403 => Diagnostic.Error(DiagnosticCodes.AgentAuthFailed, $"The chat endpoint refused the key ({ex.Status}).", hint: $"Set {settings.ChatKeyVariable} (agent.api-key-env names the variable)."),
        0 => Diagnostic.Error(DiagnosticCodes.AgentEndpointUnreachable, $"The chat endpoint {settings.Endpoint} cannot be reached or timed out: {ex.InnerException?.Message ?? ex.Message}", hint: "Check agent.endpoint and the network."),
        _ => Diagnostic.Error(DiagnosticCodes.AgentEndpointFailed, $"The chat endpoint answered {ex.Status} after retries: {First(ex.Message)}", hint: ex.Status == 429 ? "The rate limit was hit; try later or lower the load." : "The endpoint failed; try later."),
    };

    private static IChatClient CreateClient(AgentSettings settings)
    {
        var key = Environment.GetEnvironmentVariable(settings.ChatKeyVariable);
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.Endpoint!),
            NetworkTimeout = TimeSpan.FromMinutes(3),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 3),
        };

        // Local servers (Ollama, LM Studio) take any key; hosted ones answer 401 and the user learns which variable to set.
        return new OpenAI.Chat.ChatClient(settings.Model, new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key), options).AsIChatClient();
    }

    private static AgentRunResult Failed(Diagnostic problem, AgentUsage usage) => new(false, problem.Message, usage, problem);

    private static string? Text(ChatResponse response) => string.IsNullOrWhiteSpace(response.Text) ? null : response.Text.Trim();

    private static string First(string text) => text.Split('\n')[0] is var line && line.Length > 160 ? line[..160] + "…" : text.Split('\n')[0];
}
