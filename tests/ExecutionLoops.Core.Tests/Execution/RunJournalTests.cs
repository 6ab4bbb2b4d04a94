using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Core.Tests.Execution;

public sealed class RunJournalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-journal-").FullName;

    private StatePaths State => StatePaths.For(_root, ".loops/state");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Read_WhenLastLineTornByKill_IgnoresIt()
    {
        using (var journal = RunJournal.Open(State, "20261124-000000-0001", TimeProvider.System))
        {
            journal.Append(new JournalEntry { At = default, Type = JournalEntryType.RunStarted, Run = "x", Format = JournalFormat.Current, RunStart = new RunStartRecord(["a"], "abc1234", "main") });
        }

        var path = Path.Combine(State.Journal, "20261124-000000-0001.jsonl");
        File.AppendAllText(path, "{\"at\":\"2026-11-24T00:00:01Z\",\"type\":\"stage-st");

        var entries = RunJournal.Read(path);

        entries.Count.ShouldBe(1);
        entries[0].Run.ShouldBe("20261124-000000-0001");
        RunJournal.FindUnfinished(State).ShouldBe("20261124-000000-0001");
    }

    [Fact]
    public void Read_WhenMiddleLineDamaged_ReportsJournalCorruptWithLine()
    {
        Directory.CreateDirectory(State.Journal);
        var path = Path.Combine(State.Journal, "r.jsonl");
        File.WriteAllLines(path, ["not json", "{\"at\":\"2026-11-24T00:00:01Z\",\"type\":\"run-finished\",\"run\":\"r\"}"]);

        var ex = Should.Throw<LoopsException>(() => RunJournal.Read(path));

        ex.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.JournalCorrupt);
        ex.Diagnostics[0].Line.ShouldBe(1);
    }

    [Fact]
    public void LastSuccesses_CountsPublishedAndNoChangeButNotFailures()
    {
        using (var journal = RunJournal.Open(State, "20261124-000000-0002", TimeProvider.System))
        {
            journal.Append(Finished("ok", MissionOutcome.Published));
            journal.Append(Finished("same", MissionOutcome.NoChanges));
            journal.Append(Finished("bad", MissionOutcome.GateFailed));
        }

        var last = RunJournal.LastSuccesses(State);

        last.Keys.Order().ShouldBe(["ok", "same"]);
    }

    [Fact]
    public void Open_WhenStateDirectoryCannotBeCreated_ReportsStateUnwritable()
    {
        // A file where the state directory should be makes the directory impossible to create, even for root.
        File.WriteAllText(Path.Combine(_root, "blocked"), "");
        var state = StatePaths.For(_root, "blocked/state");

        var ex = Should.Throw<LoopsException>(() => RunJournal.Open(state, "r", TimeProvider.System));

        ex.ExitCode.ShouldBe(ExitCodes.Infrastructure);
        ex.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.StateUnwritable);
    }

    [Fact]
    public async Task RunLock_WhenHeld_SecondAcquireFailsNamingTheHolder()
    {
        using var first = await RunLock.AcquireAsync(State, "first run", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        var ex = await Should.ThrowAsync<LoopsException>(() => RunLock.AcquireAsync(State, "second run", TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        ex.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.RunLocked);
        ex.Diagnostics[0].Message.ShouldContain("first run");
    }

    [Fact]
    public async Task RunLock_WhenReleasedWhileWaiting_SecondAcquires()
    {
        var first = await RunLock.AcquireAsync(State, "first run", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        var second = RunLock.AcquireAsync(State, "second run", TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
        await Task.Delay(300);
        second.IsCompleted.ShouldBeFalse();

        first.Dispose();

        using var acquired = await second;
        acquired.ShouldNotBeNull();
    }

    private static JournalEntry Finished(string mission, MissionOutcome outcome) => new()
    {
        At = default,
        Type = JournalEntryType.MissionFinished,
        Run = "r",
        Mission = mission,
        Report = new MissionReport { MissionId = mission, Title = mission, Kind = "format", Outcome = outcome },
    };
}
