namespace ExecutionLoops.Reporting;

/// <summary>What an agent mission used over all its attempts, for the run report and scripts.</summary>
/// <param name="Attempts">Attempts made.</param>
/// <param name="Turns">Model turns (1 per attempt for a command agent).</param>
/// <param name="InputTokens">Prompt tokens, when the backend reports them.</param>
/// <param name="OutputTokens">Completion tokens, when the backend reports them.</param>
/// <param name="Cost">Estimated cost, when prices are configured.</param>
public sealed record AgentUsageReport(int Attempts, int Turns, long InputTokens, long OutputTokens, decimal? Cost)
{
    /// <summary>The sum of two reports (a cost is known only when both are).</summary>
    public AgentUsageReport Add(AgentUsageReport other) =>
        new(Attempts + other.Attempts, Turns + other.Turns, InputTokens + other.InputTokens, OutputTokens + other.OutputTokens, Cost is { } a && other.Cost is { } b ? a + b : Cost ?? other.Cost);
}
