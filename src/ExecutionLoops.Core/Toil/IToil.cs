namespace ExecutionLoops.Toil;

/// <summary>
/// One kind of toil (format, command, dependencies, docs, analyze, tests, agent). It changes files in
/// the mission worktree only; the runner commits, gates and publishes. Register new kinds in
/// <see cref="Execution.LoopsRegistry"/>.
/// </summary>
public interface IToil
{
    /// <summary>The <c>kind:</c> value this executor handles.</summary>
    string Kind { get; }

    /// <summary>
    /// True when the toil runs agent-written code: the mission then works in a separate clone inside the OS
    /// sandbox, its gates run there without any secret, and failed gates go back to the agent for another attempt.
    /// </summary>
    bool RunsAgentCode => false;

    /// <summary>Does the work in <see cref="ToilContext.WorktreePath"/>.</summary>
    Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken);
}
