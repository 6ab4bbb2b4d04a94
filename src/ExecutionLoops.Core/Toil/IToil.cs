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

    /// <summary>Does the work in <see cref="ToilContext.WorktreePath"/>.</summary>
    Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken);
}
