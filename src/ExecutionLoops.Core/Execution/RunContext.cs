using ExecutionLoops.Security;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;

namespace ExecutionLoops.Execution;

/// <summary>What every mission of one run shares: the repository, the base, the journal, the target.</summary>
internal sealed record RunContext(
    string RunId,
    LoopsWorkspace Workspace,
    LoopsRegistry Registry,
    ProcessRunner Processes,
    TimeProvider Clock,
    IRunObserver Observer,
    SecretMasker Masker,
    RunJournal Journal,
    IReviewTarget ReviewTarget,
    string? BaseBranch,
    string BaseCommit);
