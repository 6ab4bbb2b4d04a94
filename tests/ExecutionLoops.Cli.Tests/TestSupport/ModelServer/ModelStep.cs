namespace ExecutionLoops.Cli.Tests.TestSupport.ModelServer;

/// <summary>One scripted model answer, independent of the wire protocol: each protocol renders it as its CLI's own tool call.</summary>
public abstract record ModelStep
{
    /// <summary>Create or overwrite a file through the CLI's file tool (a path relative to the CLI's working directory).</summary>
    public sealed record WriteFile(string Path, string Content) : ModelStep;

    /// <summary>Run a command through the CLI's shell tool.</summary>
    public sealed record Shell(string Command) : ModelStep;

    /// <summary>The final answer: text, no tool call.</summary>
    public sealed record Answer(string Text) : ModelStep;
}

/// <summary>What the model was sent, read from one request in any protocol.</summary>
/// <param name="Protocol">anthropic, responses, chat or gemini.</param>
/// <param name="WorkingDirectory">The CLI's working directory as its system prompt states it, for file tools that want absolute paths (Claude Code, Copilot); null otherwise.</param>
/// <param name="UserText">Everything the user said (the prompt).</param>
/// <param name="ToolResults">The text of every tool result so far, in order.</param>
/// <param name="OffersTools">False for the CLIs' side requests (titles, summaries, routing), which get a plain answer.</param>
public sealed record ModelConversation(string Protocol, string? WorkingDirectory, string UserText, IReadOnlyList<string> ToolResults, bool OffersTools)
{
    /// <summary>How many tool results came back: the index of the next scripted step.</summary>
    public int Turn => ToolResults.Count;
}
