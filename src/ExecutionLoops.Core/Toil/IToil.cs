using ExecutionLoops.Briefs;

namespace ExecutionLoops.Toil;

/// <summary>
/// One kind of toil (format, command, dependencies, docs, analyze, tests, agent). It describes itself (name, brief
/// section, traits; see <see cref="IKindDescription"/>) and changes files in the mission worktree only; the runner
/// commits, gates and publishes. A new kind is one class and one line in <see cref="Execution.LoopsRegistry"/>.
/// </summary>
public interface IToil : IKindDescription
{
    /// <summary>Does the work in <see cref="ToilContext.WorktreePath"/>.</summary>
    Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken);
}
