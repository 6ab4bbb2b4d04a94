namespace ExecutionLoops.Execution;

/// <summary>How a delegation run behaves.</summary>
/// <param name="DryRun">Plan and validate only: no worktree, no commit, no review item.</param>
/// <param name="LockWait">How long to wait for another run's lock before giving up.</param>
public sealed record DelegationOptions(bool DryRun = false, TimeSpan LockWait = default);
