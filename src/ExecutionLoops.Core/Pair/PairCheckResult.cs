using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>The outcome of one feedback call (<c>dotnet build -t:Pair</c>, <c>loops pair status</c>).</summary>
/// <param name="Session">The session after the call.</param>
/// <param name="Feedback">Build and test results.</param>
/// <param name="Criteria">Each criterion's status.</param>
/// <param name="NewDiagnostics">Errors and warnings that were not there at the previous checkpoint.</param>
/// <param name="ChangedFiles">Files changed since the previous checkpoint.</param>
/// <param name="Checkpoint">The checkpoint this call recorded.</param>
/// <param name="Dashboard">The dashboard text.</param>
public sealed record PairCheckResult(
    PairSession Session,
    PairFeedback Feedback,
    IReadOnlyList<CriterionResult> Criteria,
    IReadOnlyList<Diagnostic> NewDiagnostics,
    IReadOnlyList<FileChange> ChangedFiles,
    PairCheckpoint Checkpoint,
    string Dashboard);
