using System.Globalization;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Agents;

/// <summary>One attempt's work order for an agent backend.</summary>
/// <param name="Prompt">The assembled prompt.</param>
/// <param name="Sandbox">What the agent may touch.</param>
/// <param name="Settings">The agent settings.</param>
/// <param name="Log">The mission log (secrets masked).</param>
/// <param name="Processes">Starts external programs.</param>
/// <param name="RunGates">Runs the mission's gates on the worktree as it is; returns their failures.</param>
/// <param name="Timeout">Wall time for the attempt.</param>
public sealed record AgentRequest(string Prompt, AgentSandbox Sandbox, AgentSettings Settings, IMissionLog Log, ProcessRunner Processes, Func<CancellationToken, Task<string>>? RunGates, TimeSpan Timeout)
{
    /// <summary>Where files the agent's processes read (the prompt, a patch) are written: inside the sandbox's reach; null for the system temp folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>A new file path in <see cref="TempDirectory"/>.</summary>
    public string TempFile(string prefix, string extension) => Path.Combine(TempDirectory ?? Path.GetTempPath(), $"{prefix}{Guid.NewGuid():N}{extension}");
}

/// <summary>What an attempt used.</summary>
/// <param name="Turns">Model turns (1 for a command agent).</param>
/// <param name="InputTokens">Prompt tokens, when reported.</param>
/// <param name="OutputTokens">Completion tokens, when reported.</param>
public sealed record AgentUsage(int Turns, long InputTokens, long OutputTokens)
{
    /// <summary>Nothing used.</summary>
    public static AgentUsage None { get; } = new(0, 0, 0);

    /// <summary>Both kinds of token.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The estimated cost when prices are configured.</summary>
    public decimal? Cost(AgentSettings settings) =>
        settings.PriceInput is { } input && settings.PriceOutput is { } output ? ((InputTokens * input) + (OutputTokens * output)) / 1_000_000m : null;

    /// <summary>One line for summaries and review bodies.</summary>
    public string Describe(AgentSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{Turns} turn(s), {TotalTokens:N0} tokens ({InputTokens:N0} in, {OutputTokens:N0} out){(Cost(settings) is { } cost ? $", est. ${cost:0.0000}" : "")}");
}

/// <summary>How an attempt ended.</summary>
/// <param name="Succeeded">False when the agent failed to run or finish (the problem says why).</param>
/// <param name="Summary">The agent's own summary, or the failure.</param>
/// <param name="Usage">Turns and tokens.</param>
/// <param name="Problem">The EL5xxx problem, when it failed.</param>
/// <param name="LogTail">The end of its output.</param>
public sealed record AgentRunResult(bool Succeeded, string Summary, AgentUsage Usage, Diagnostic? Problem = null, string LogTail = "");

/// <summary>An AI coding agent: an external CLI or a chat endpoint with our tools.</summary>
public interface IAgentBackend
{
    /// <summary>Runs one attempt in the sandbox's worktree.</summary>
    Task<AgentRunResult> RunAsync(AgentRequest request, CancellationToken cancellationToken);
}
