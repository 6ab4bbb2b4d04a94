using ExecutionLoops.Briefs;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Execution.Stages;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;
using ExecutionLoops.Security;
using ExecutionLoops.Workspace;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Execution.Stages;

/// <summary>A real repository, journal and local review queue for one mission of one run; the mission's worktree is removed on dispose.</summary>
internal sealed class StageFixture : IDisposable
{
    public const string RunId = "20261201-080000-0001";

    private StageFixture(TempGitRepo repo, RunContext run, FakeTimeProvider clock, RunJournal journal)
    {
        Repo = repo;
        Run = run;
        Clock = clock;
        Journal = journal;
    }

    public TempGitRepo Repo { get; }

    public RunContext Run { get; }

    public FakeTimeProvider Clock { get; }

    public List<string> Log { get; } = [];

    private RunJournal Journal { get; }

    /// <param name="registry">The parts the run looks up, given the run's clock; null for the default registry.</param>
    public static async Task<StageFixture> CreateAsync(Func<FakeTimeProvider, LoopsRegistry>? registry = null)
    {
        var repo = new TempGitRepo();
        var processes = new ProcessRunner();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var git = await GitRepository.DiscoverAsync(repo.Root, processes);
        var workspace = new LoopsWorkspace(git, LoopsConfig.Default, StatePaths.For(repo.Root, ".loops/state"));
        var parts = registry?.Invoke(clock) ?? LoopsRegistry.CreateDefault(processes, clock);
        var journal = RunJournal.Open(workspace.State, RunId, clock);
        var target = new LocalReviewQueue(git, workspace.State.Reviews, clock);
        var baseCommit = repo.Git("rev-parse", "HEAD").Trim();
        var run = new RunContext(RunId, workspace, parts, processes, clock, NullRunObserver.Instance, SecretMasker.Process, journal, target, "main", baseCommit);
        return new StageFixture(repo, run, clock, journal);
    }

    public MissionContext Mission(MissionProgress? progress = null, IReadOnlyList<GateSpec>? gates = null)
    {
        var brief = new MissionBrief { Id = "m", Kind = "command", Title = "Stamp the notes", SourcePath = "/m.md", RelativePath = "m.md", Gates = gates ?? [] };
        return new MissionContext(Run, brief, progress ?? new MissionProgress(), new ListLog(Log), TimeSpan.FromMinutes(1));
    }

    /// <summary>The mission's journal lines as a resume reads them.</summary>
    public MissionProgress Replay() => MissionProgress.Replay(RunJournal.Read(Journal.Path).Where(e => e.Mission == "m"));

    public IReadOnlyList<JournalEntry> Entries() => RunJournal.Read(Journal.Path);

    public void Dispose()
    {
        Journal.Dispose();
        if (Directory.Exists(Run.Workspace.State.WorktreeRoot))
        {
            Directory.Delete(Run.Workspace.State.WorktreeRoot, recursive: true);
        }

        Repo.Dispose();
    }

    private sealed class ListLog(List<string> lines) : IMissionLog
    {
        public void Write(string line) => lines.Add(line);
    }
}
