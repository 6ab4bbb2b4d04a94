namespace ExecutionLoops.Workspace;

/// <summary>One changed file between two commits (or a commit and a worktree).</summary>
/// <param name="Path">Repo-relative path with forward slashes.</param>
/// <param name="Insertions">Lines added (0 for binary files).</param>
/// <param name="Deletions">Lines removed (0 for binary files).</param>
/// <param name="Binary">True when git sees binary content (no line counts).</param>
public sealed record FileChange(string Path, int Insertions, int Deletions, bool Binary = false);
