using ExecutionLoops.Agents;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

public sealed class AttemptPolicyTests
{
    private static readonly MissionBrief Brief = new() { Id = "m", Kind = "agent", Title = "m", SourcePath = "/m.md", RelativePath = "m.md" };

    private static readonly GateResult BuildFailed = new("build", GateStatus.Failed, true, TimeSpan.Zero, "1 error", [Diagnostic.Error(DiagnosticCodes.BuildFailed, "CS1002: ; expected", "src/a.cs", 4, 9)]);

    [Fact]
    public void WhenEveryRequiredGatePasses_Commits_EvenWithAFailedAdvisoryGate()
    {
        var advisory = BuildFailed with { Required = false };

        AttemptPolicy.Decide(Brief, Progress(attempt: 1, advisory), Agent(maxAttempts: 3)).ShouldBeOfType<AttemptDecision.Commit>();
    }

    [Fact]
    public void WhenARequiredGateFails_WithAttemptsLeft_RetriesWithTheFailuresAsTheAgentReadsThem()
    {
        var decision = AttemptPolicy.Decide(Brief, Progress(attempt: 2, BuildFailed), Agent(maxAttempts: 3));

        var next = decision.ShouldBeOfType<AttemptDecision.Retry>().Next;
        next.Number.ShouldBe(3);
        next.PreviousFailures.ShouldBe("Gate 'build' failed: 1 error\n  src/a.cs(4,9): error EL3001: CS1002: ; expected");
    }

    [Fact]
    public void WhenARequiredGateFails_ForAKindWithoutAnAgent_StopsAtOnceWithTheGatesDiagnostics()
    {
        var end = AttemptPolicy.Decide(Brief, Progress(attempt: 1, BuildFailed), agent: null).ShouldBeOfType<AttemptDecision.Stop>().End;

        end.Outcome.ShouldBe(MissionOutcome.GateFailed);
        end.Message.ShouldBe("Required gate(s) failed: build. Nothing was published.");
        end.Diagnostics.ShouldBe(BuildFailed.Diagnostics);
    }

    [Fact]
    public void WhenTheLastAttemptFails_StopsWithAttemptsExhaustedFirst()
    {
        var end = AttemptPolicy.Decide(Brief, Progress(attempt: 3, BuildFailed), Agent(maxAttempts: 3)).ShouldBeOfType<AttemptDecision.Stop>().End;

        end.Outcome.ShouldBe(MissionOutcome.GateFailed);
        end.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.AttemptsExhausted, DiagnosticCodes.BuildFailed]);
        end.Diagnostics[0].Message.ShouldStartWith("All 3 attempt(s) failed required gate(s): build.");
    }

    [Fact]
    public void WhenTheLastAttemptFails_WithDraftOnFailure_CommitsForADraft_UnlessNothingChanged()
    {
        var agent = Agent(maxAttempts: 2) with { DraftOnFailure = true };

        AttemptPolicy.Decide(Brief, Progress(attempt: 2, BuildFailed), agent).ShouldBeOfType<AttemptDecision.Commit>();
        AttemptPolicy.Decide(Brief, Progress(attempt: 2, BuildFailed, changed: false), agent).ShouldBeOfType<AttemptDecision.Stop>();
    }

    private static AgentSettings Agent(int maxAttempts) => new() { MaxAttempts = maxAttempts };

    private static MissionProgress Progress(int attempt, GateResult gate, bool changed = true)
    {
        var progress = new MissionProgress();
        if (attempt > 1)
        {
            progress.StartAttempt(new AttemptRecord(attempt, "earlier failures"));
        }

        var at = DateTimeOffset.UnixEpoch;
        progress.Done(MissionStage.Toil, at, at, new ToilRecord("edited", changed ? [new FileChange("src/a.cs", 1, 1)] : [], []));
        progress.Done(MissionStage.Gates, at, at, new GatesRecord([gate]));
        return progress;
    }
}
