namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// Aider (<c>aider</c>, from PyPI). It reads the prompt from a file, never commits, and never asks. Not run in this
/// project's CI (PyPI is out of its reach): the command line follows its documentation only.
/// </summary>
internal sealed class AiderCli : AgentCli
{
    /// <inheritdoc />
    public override string Name => "aider";

    /// <inheritdoc />
    public override IReadOnlyList<string> KeyVariables { get; } = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY", "GEMINI_API_KEY"];

    /// <inheritdoc />
    public override IReadOnlyList<string> Variables { get; } = ["OPENAI_API_BASE", "AIDER_MODEL"];

    /// <inheritdoc />
    public override AgentCliInvocation Invocation(AgentCliContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Endpoint is { } endpoint)
        {
            environment["OPENAI_API_BASE"] = endpoint;
        }

        return new AgentCliInvocation(
            ["--yes-always", "--no-auto-commits", "--no-dirty-commits", "--no-gitignore", "--no-check-update", "--analytics-disable", "--no-pretty", "--message-file", context.PromptFile, .. ModelOption("--model", context.Model)],
            environment)
        {
            PromptOnStandardInput = false,
        };
    }

    /// <inheritdoc />
    public override AgentCliOutput Read(string output, AgentCliContext context) => AgentCliOutput.None;
}
