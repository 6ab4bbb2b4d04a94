using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The token-leak sweep: fake credentials of real shapes in the environment, every kind of mission (published,
/// failing in toil, failing in gates, agent and not), then every file written and every output is searched
/// for them, and for credential-shaped values that the missions themselves printed. It must find nothing.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class TokenSweepTests : IDisposable
{
    private const string ServicePassword = "correct-horse-battery-staple-7731";

    // Values the missions print themselves (an agent's summary, a failing command, a compiler-style error).
    private const string PrintedGitHubToken = "ghp_Pr1ntedByTheAgentInItsSummary0123456789";
    private const string PrintedAwsKey = "AKIAPRINTEDBYCOMMAND";
    private const string PrintedJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb29wcy1zd2VlcCJ9.c2lnbmF0dXJlLW9mLXRoZS1zd2VlcA";

    private readonly string _host = Directory.CreateTempSubdirectory("loops-sweep-host-").FullName;
    private readonly string _scripts = VisibleFolder.Create("loops-sweep-");

    public void Dispose()
    {
        Directory.Delete(_host, recursive: true);
        Directory.Delete(_scripts, recursive: true);
    }

    [Fact]
    public async Task EveryKindOfMission_LeavesNoTokenInAnyFileOrOutput()
    {
        using var repo = MissionRepo.Create(
            ("agent-ok", AgentAttackTests.Brief(Script($"""
                env > src/env-seen.txt
                echo good > src/result.txt
                echo "done; the key I used was {PrintedGitHubToken}"
                """))),
            ("agent-secret", AgentAttackTests.Brief(Script($"""
                echo 'var key = "{PrintedGitHubToken}";' > src/result.txt
                echo good >> src/result.txt
                """))),
            ("agent-crash", AgentAttackTests.Brief(Script($"""
                echo "fatal: cannot authenticate with {PrintedJwt}" >&2
                exit 3
                """))),
            ("command-fails", MissionRepo.Command($"echo token=$GITHUB_TOKEN; echo aws {PrintedAwsKey}; exit 2")),
            ("gate-fails", MissionRepo.Command(
                "echo changed > notes.txt",
                gates: $"[diff, {{command: {{run: \"echo 'Program.cs(3,5): error CS1002: ; expected near {PrintedJwt}'; echo pw=$MY_SERVICE_PASSWORD; exit 1\"}}}}]")),
            ("published", MissionRepo.Command($"echo stamped >> notes.txt; echo {PrintedAwsKey}")));
        var summary = Path.Combine(_host, "summary.md");
        var output = Path.Combine(_host, "output.txt");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = AgentAttackTests.GitHubToken,
            ["OPENAI_API_KEY"] = AgentAttackTests.OpenAiKey,
            ["MY_SERVICE_PASSWORD"] = ServicePassword,
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_OUTPUT"] = output,
        };

        var run = await CliRunner.RunProcessAsync(repo.Root, environment, apphost: false, "delegate", "--all", "--json");
        var review = await CliRunner.RunProcessAsync(repo.Root, environment, apphost: false, "review", "show", "published");

        // The sweep is only meaningful if every kind of mission really ran.
        run.ExitCode.ShouldBe(1, run.All);
        foreach (var mission in new[] { "agent-ok", "agent-secret", "agent-crash", "command-fails", "gate-fails", "published" })
        {
            run.Output.ShouldContain($"\"missionId\": \"{mission}\"");
        }

        repo.Git("branch", "--list", "loops/agent-ok").ShouldNotBeEmpty(run.Output);
        repo.Git("show", "loops/agent-ok:src/env-seen.txt").ShouldNotContain("GITHUB_TOKEN");

        // ::add-mask:: lines are how the secrets reach the runner's own masker; the runner consumes them, never shows them.
        var printed = string.Join('\n', run.All.Split('\n').Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal)));
        run.All.ShouldContain($"::add-mask::{AgentAttackTests.GitHubToken}");
        var texts = new List<(string Where, string Text)> { ("delegate output", printed), ("review show", review.All), ("git log", repo.Git("log", "--all", "--format=%B")) };
        texts.AddRange(Directory.EnumerateFiles(repo.Path(".loops/state"), "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))));
        texts.AddRange(Directory.EnumerateFiles(_host).Select(f => (f, File.ReadAllText(f))));
        texts.Count.ShouldBeGreaterThan(10);
        File.ReadAllText(summary).ShouldContain("agent-crash");

        var secrets = new[] { AgentAttackTests.GitHubToken, AgentAttackTests.OpenAiKey, ServicePassword, PrintedGitHubToken, PrintedAwsKey, PrintedJwt };
        var leaks = texts.SelectMany(t => secrets.Where(s => t.Text.Contains(s, StringComparison.Ordinal)).Select(s => $"{t.Where}: {s[..8]}…")).ToList();
        leaks.ShouldBeEmpty();
    }

    private string Script(string body) => AgentScript.Write(_scripts, body);
}
