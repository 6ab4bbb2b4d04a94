using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// A repository with a history made by real delegation runs through the CLI: mission <c>tidy</c> published four
/// times (rejected three times with similar feedback, then approved), mission <c>blocked</c> failing its required
/// command gate twice, mission <c>note</c> published once and still open, and an ended pair session whose whole
/// change is whitespace (routine format work, which mission <c>fmt</c> would do).
/// </summary>
public sealed class MonitoredRepo : IAsyncLifetime
{
    /// <summary>The test collection that shares one scenario (its runs take most of the tests' time).</summary>
    public const string Collection = "monitored repository";

    public static readonly string[] Rejections =
    [
        "Add a comment explaining the change",
        "Please add a comment that explains the change",
        "Add a comment explaining why the change is needed",
    ];

    public TempGitRepo Repo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Repo = MissionRepo.Create(
            ("tidy", MissionRepo.Command("echo x >> notes.txt")),
            ("blocked", MissionRepo.Command("echo y >> blocked.txt", gates: "[diff, {command: {run: \"exit 3\"}}]")),
            ("note", MissionRepo.Command("echo z >> note.txt")),
            ("fmt", """
                kind: format
                on: {manual: true}
                constraints: {max-files: 5, max-lines: 50, timeout: 2m}
                gates: [diff]
                success: [the files follow .editorconfig]
                """));
        Repo.Write("src/App.cs", "class App\n{\n    int x = 1;\n}\n");
        Repo.Commit("app");

        for (var i = 0; i < Rejections.Length; i++)
        {
            await Delegate("tidy", 0);
            await Cli("review", "reject", "tidy", "--feedback", Rejections[i], "--author", "ana");
        }

        await Delegate("tidy", 0);
        await Cli("review", "approve", "tidy");
        await Delegate("blocked", 1);
        await Delegate("blocked", 1);
        await Delegate("note", 0);
        WritePairSession(Repo.Git("rev-parse", "HEAD").Trim());
    }

    /// <summary>A pair session as <c>loops pair</c> stores it, whose only checkpoint re-indents src/App.cs.</summary>
    private void WritePairSession(string start)
    {
        Repo.Git("checkout", "-q", "-b", "scratch");
        Repo.Write("src/App.cs", "class App\n{\n        int x = 1;   \n}\n");
        var checkpoint = Repo.Commit("re-indent");
        Repo.Git("checkout", "-q", "main");
        Repo.Git("branch", "-q", "-D", "scratch");
        Repo.Git("update-ref", "refs/loops/pair/fix-spacing/1", checkpoint);
        var at = DateTimeOffset.UtcNow.ToString("O");
        Repo.Write(".loops/pair/fix-spacing/session.json", $$"""
            {
              "id": "fix-spacing",
              "goal": "Fix the spacing in App.cs",
              "started": "{{at}}",
              "ended": "{{at}}",
              "startSnapshot": "{{start}}",
              "checkpoints": [ { "number": 1, "at": "{{at}}", "commit": "{{checkpoint}}", "label": "end", "green": true } ]
            }
            """);
    }

    private async Task Delegate(string mission, int exit)
    {
        var result = await CliRunner.RunAsync(Repo.Root, "delegate", "--mission", mission);
        result.ExitCode.ShouldBe(exit, result.All);
    }

    private async Task Cli(params string[] args)
    {
        var result = await CliRunner.RunAsync(Repo.Root, args);
        result.ExitCode.ShouldBe(0, result.All);
    }

    public Task DisposeAsync()
    {
        Repo.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Shares one <see cref="MonitoredRepo"/> between the insights and the dashboard tests.</summary>
[CollectionDefinition(MonitoredRepo.Collection)]
public sealed class MonitoredRepoCollection : ICollectionFixture<MonitoredRepo>;
