using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Workspace;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Execution;

public sealed class JournalFormatTests : IDisposable
{
    private const string RunId = "20261201-000000-0001";

    // A real journal of the previous format (stage results in string-keyed "data" dictionaries holding JSON), written by
    // 'loops demo' before the typed format and cut after stamp-changelog's commit: format-code finished, the run did not.
    private const string FormatOneRunId = "20261201-015151-947c";

    private static readonly string FormatOneFixture = Path.Combine(TempGitRepo.SourceRoot(), "tests", "ExecutionLoops.Core.Tests", "Execution", "Fixtures", "journal-format-1.jsonl");

    private readonly TempGitRepo _repo = new();

    private StatePaths State => StatePaths.For(_repo.Root, ".loops/state");

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Append_WritesTheCurrentFormatOnTheRunStartedLine()
    {
        using (var journal = RunJournal.Open(State, RunId, TimeProvider.System))
        {
            journal.Append(RunStarted());
        }

        var line = File.ReadAllLines(Path.Combine(State.Journal, $"{RunId}.jsonl")).Single();

        line.ShouldContain($"\"format\":{JournalFormat.Current}");
        line.ShouldContain("\"runStart\":{\"missions\":[\"m\"],\"baseCommit\":\"abc1234\",\"baseBranch\":\"main\"}");
        line.ShouldNotContain("\"data\"");
    }

    [Fact]
    public void TypedRecords_RoundTripThroughTheJournal_AndReplayToTheSameProgress()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var changes = new List<FileChange> { new("src/a.cs", 3, 1) };
        var violation = Diagnostic.Error("EL5010", "reverted .git/hooks/pre-commit", ".git/hooks/pre-commit");
        var usage = new AgentUsageReport(2, 7, 1200, 300, 0.05m);
        var gate = new GateResult("build", GateStatus.Failed, true, TimeSpan.FromSeconds(2), "1 error", [Diagnostic.Error(DiagnosticCodes.BuildFailed, "CS1002", "src/a.cs", 4, 9)]);
        using (var journal = RunJournal.Open(State, RunId, clock))
        {
            journal.Append(RunStarted());
            journal.Append(Done(MissionStage.Prepare, new PrepareRecord("/tmp/wt/m")));
            journal.Append(Done(MissionStage.Toil, new ToilRecord("edited a.cs", changes, [violation], "## Details", usage)));
            journal.Append(Done(MissionStage.Gates, new GatesRecord([gate])));
            journal.Append(Entry(JournalEntryType.AttemptStarted) with { Attempt = new AttemptRecord(2, "Gate 'build' failed: 1 error") });
            journal.Append(Done(MissionStage.Toil, new ToilRecord("fixed a.cs", changes, [])));
            journal.Append(Done(MissionStage.Gates, new GatesRecord([gate with { Status = GateStatus.Passed, Diagnostics = [] }])));
            journal.Append(Done(MissionStage.Commit, new CommitRecord("0123456789abcdef")));
            journal.Append(Done(MissionStage.Publish, new PublishRecord("m", "loops review show m")));
        }

        var entries = RunJournal.Read(Path.Combine(State.Journal, $"{RunId}.jsonl"));
        var progress = MissionProgress.Replay(entries.Where(e => e.Mission == "m"));

        JournalFormat.Of(entries).ShouldBe(JournalFormat.Current);
        entries[0].RunStart!.Missions.ShouldBe(["m"]);
        entries[0].RunStart!.BaseCommit.ShouldBe("abc1234");
        entries[2].Done.ShouldBeOfType<ToilRecord>().SandboxViolations.ShouldBe([violation]);
        entries[3].Done.ShouldBeOfType<GatesRecord>().Results.Single().Diagnostics.ShouldBe(gate.Diagnostics);
        progress.LastDone.ShouldBe(MissionStage.Publish);
        progress.Attempt.ShouldBe(2);
        progress.PreviousFailures.ShouldBe("Gate 'build' failed: 1 error");
        progress.Toil!.Summary.ShouldBe("fixed a.cs");
        progress.Changes.ShouldBe(changes);
        progress.SandboxViolations.ShouldBeEmpty();
        progress.AgentUsage.ShouldBe(usage, "an attempt that reported no usage keeps the total of the earlier ones");
        progress.Gates.Single().Status.ShouldBe(GateStatus.Passed);
        progress.Commit.ShouldBe("0123456789abcdef");
        progress.Published.ShouldBe(new PublishRecord("m", "loops review show m"));
        progress.Timings.Select(t => t.Stage).ShouldBe([MissionStage.Prepare, MissionStage.Toil, MissionStage.Gates, MissionStage.Commit, MissionStage.Publish]);
    }

    [Fact]
    public async Task Resume_OfARunInThePreviousFormat_StopsWithEL2041NamingTheFile_AndChangesNothing()
    {
        var path = CopyFormatOneFixture();
        var before = File.ReadAllText(path);
        var engine = await LoopsEngine.OpenAsync(_repo.Root, CancellationToken.None);

        var ex = await Should.ThrowAsync<LoopsException>(() => engine.ResumeAsync(new DelegationOptions(), NullRunObserver.Instance, CancellationToken.None));

        ex.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        var diagnostic = ex.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.JournalFormatUnsupported);
        diagnostic.Path.ShouldBe(path);
        diagnostic.Message.ShouldBe($"The interrupted run '{FormatOneRunId}' was written by an earlier version of loops (journal format 1; this version resumes format {JournalFormat.Current}).");
        diagnostic.Hint!.ShouldContain($"{FormatOneRunId}.jsonl.abandoned");
        File.ReadAllText(path).ShouldBe(before);
        _repo.Git("branch", "--list", "loops/*").Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task AbandoningARunInThePreviousFormat_AsTheHintSays_LeavesNothingToResume()
    {
        var path = CopyFormatOneFixture();
        File.Move(path, $"{path}.abandoned");
        var engine = await LoopsEngine.OpenAsync(_repo.Root, CancellationToken.None);

        var report = await engine.ResumeAsync(new DelegationOptions(), NullRunObserver.Instance, CancellationToken.None);

        report.ShouldBeNull();
    }

    [Fact]
    public void AJournalInThePreviousFormat_StillReads_AndItsFinishedMissionsCountForPlanning()
    {
        CopyFormatOneFixture();

        var entries = RunJournal.Read(Path.Combine(State.Journal, $"{FormatOneRunId}.jsonl"));

        JournalFormat.Of(entries).ShouldBe(1);
        RunJournal.FindUnfinished(State).ShouldBe(FormatOneRunId);
        RunJournal.LastSuccesses(State).Keys.ShouldBe(["format-code"]);
    }

    [Fact]
    public void EnsureResumable_WhenTheFormatIsNewerThanThisVersion_SaysALaterVersionWroteIt()
    {
        var entries = new[] { RunStarted() with { Format = JournalFormat.Current + 1 } };

        var ex = Should.Throw<LoopsException>(() => JournalFormat.EnsureResumable(entries, "/state/journal/r.jsonl"));

        ex.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.JournalFormatUnsupported);
        ex.Diagnostics[0].Message.ShouldContain("a later version");
    }

    private string CopyFormatOneFixture()
    {
        Directory.CreateDirectory(State.Journal);
        var path = Path.Combine(State.Journal, $"{FormatOneRunId}.jsonl");
        File.Copy(FormatOneFixture, path);
        return path;
    }

    private static JournalEntry RunStarted() =>
        Entry(JournalEntryType.RunStarted) with { Mission = null, Format = JournalFormat.Current, RunStart = new RunStartRecord(["m"], "abc1234", "main") };

    private static JournalEntry Done(MissionStage stage, StageRecord record) =>
        Entry(JournalEntryType.StageDone) with { Stage = stage, Done = record };

    private static JournalEntry Entry(JournalEntryType type) => new() { At = default, Type = type, Run = RunId, Mission = "m" };
}
