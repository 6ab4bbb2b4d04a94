using System.Diagnostics;
using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>Agent missions with a scripted command agent: a small shell script that edits files as a real CLI would.</summary>
public sealed class AgentMissionTests : IDisposable
{
    private readonly string _scripts = VisibleFolder.Create("loops-agent-");

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    [Fact]
    public async Task CommandAgent_CorrectsItselfAfterAGateFailure_AndTheSecondPromptCarriesTheFailure()
    {
        // The agent can write nothing outside its clone: what it read reaches the test through its output (the mission log).
        var agent = Script("""
            echo "=== prompt ==="; cat "$1"; echo "=== end ==="
            if grep -q "previous attempt failed" "$1"; then echo good > src/result.txt; else echo bad > src/result.txt; fi
            echo "wrote src/result.txt"
            """);
        using var repo = MissionRepo.Create(("fix-it", Brief(agent, "max-attempts: 3")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("show", "loops/fix-it:src/result.txt").Trim().ShouldBe("good");
        var prompts = MissionLog(repo, "fix-it").Split("=== prompt ===")[1..];
        prompts.Length.ShouldBe(2);
        prompts[0].ShouldContain("## Specification");
        prompts[0].ShouldContain("- Gates that decide whether the change is accepted: diff, command, secrets.");
        prompts[1].ShouldContain("## Attempt 2: the previous attempt failed these gates");
        prompts[1].ShouldContain("Gate 'command' failed");
        var journal = File.ReadAllText(Directory.GetFiles(repo.Path(".loops/state/journal"), "*.jsonl").Single());
        journal.Split('\n').Count(l => l.Contains("\"attempt-started\"", StringComparison.Ordinal)).ShouldBe(1);
        var body = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "fix-it", "--json")).Output).RootElement.GetProperty("body").GetString()!;
        body.ShouldContain("**Agent:** `custom command`; attempt 2 of 3");
        var usage = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("agentUsage");
        (usage.GetProperty("attempts").GetInt32(), usage.GetProperty("turns").GetInt32()).ShouldBe((2, 2));
    }

    [Fact]
    public async Task Sandbox_RevertsEveryKindOfViolation_AndNamesEachPath()
    {
        var agent = Script("""
            echo changed >> README.md
            echo '<Project />' > Directory.Build.props
            ln -s /etc/passwd src/passwd
            rm src/App/App.csproj
            echo good > src/result.txt
            """);
        using var repo = MissionRepo.Create(("escape", Brief(agent, "max-attempts: 1")));
        repo.Write("README.md", "# readme\n");
        repo.Write("src/App/App.csproj", "<Project />\n");
        repo.Commit("content");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        var sandbox = mission.GetProperty("gates")[0];
        sandbox.GetProperty("name").GetString().ShouldBe("sandbox");
        var paths = sandbox.GetProperty("diagnostics").EnumerateArray().Select(d => (d.GetProperty("code").GetString(), d.GetProperty("path").GetString())).ToList();
        paths.ShouldBe([("EL5010", "Directory.Build.props"), ("EL5010", "README.md"), ("EL5010", "src/App/App.csproj"), ("EL5010", "src/passwd")], ignoreOrder: true);
        mission.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL5011");
        (await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output.Trim().ShouldBe("[]");
        repo.Git("branch", "--list", "loops/escape").ShouldBeEmpty();
    }

    [Fact]
    public async Task TheAgentSeesOnlyAllowedVariables_AndSecretsInItsChangeFailTheGate()
    {
        var agent = Script($$"""
            env | sed 's/^/ENV: /'
            echo 'token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"' > src/result.txt
            echo good >> src/result.txt
            """);
        var allowed = $"LOOPS_TEST_ALLOWED_{Guid.NewGuid():N}";
        var hidden = $"LOOPS_TEST_HIDDEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(allowed, "yes");
        Environment.SetEnvironmentVariable(hidden, "secret-value");
        using var repo = MissionRepo.Create(("leaky", Brief(agent, $"max-attempts: 1, env: [{allowed}]")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");
        Environment.SetEnvironmentVariable(allowed, null);
        Environment.SetEnvironmentVariable(hidden, null);

        var environment = MissionLog(repo, "leaky");
        environment.ShouldContain($"{allowed}=yes");
        environment.ShouldNotContain(hidden);
        result.ExitCode.ShouldBe(1, result.All);
        var gates = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates").EnumerateArray().ToList();
        var secrets = gates.Single(g => g.GetProperty("name").GetString() == "secrets");
        var finding = secrets.GetProperty("diagnostics")[0];
        (finding.GetProperty("code").GetString(), finding.GetProperty("path").GetString(), finding.GetProperty("line").GetInt32()).ShouldBe(("EL3012", "src/result.txt", 1));
        result.Output.ShouldNotContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    }

    [Fact]
    public async Task WhenEveryAttemptFails_NothingIsPublished_UnlessTheBriefAsksForADraft()
    {
        var agent = Script("echo bad > src/result.txt");
        using var repo = MissionRepo.Create(
            ("stubborn", Brief(agent, "max-attempts: 2")),
            ("stubborn-draft", Brief(agent, "max-attempts: 2, draft-on-failure: true")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var missions = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("missionId").GetString()!);
        missions["stubborn"].GetProperty("diagnostics")[0].GetProperty("message").GetString()!.ShouldStartWith("All 2 attempt(s) failed required gate(s): command.");
        var items = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output).RootElement.EnumerateArray().ToList();
        items.ShouldHaveSingleItem().GetProperty("draft").GetBoolean().ShouldBeTrue();
        items[0].GetProperty("missionId").GetString().ShouldBe("stubborn-draft");
    }

    [Fact]
    public async Task AHungAgent_IsKilledAtItsTimeout_WithEL5006()
    {
        var agent = Script("echo started > src/result.txt\nsleep 60\necho good > src/result.txt");
        using var repo = MissionRepo.Create(("hung", Brief(agent, "max-attempts: 1, timeout: 2s")));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        result.ExitCode.ShouldBe(1, result.All);
        JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL5006");
        (await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task AMissingAgentCli_IsEL5002()
    {
        using var repo = MissionRepo.Create(("no-cli", Brief(null, "preset: copilot, max-attempts: 1")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("EL5002");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("'copilot'");
    }

    [Fact]
    public async Task AnAgentMissionKilledInItsSecondAttempt_ResumesAtThatAttempt()
    {
        // The sandbox keeps nothing between runs: the test itself changes the agent once the first run is killed.
        var agent = Script("""
            if grep -q "previous attempt failed" "$1"; then echo "second attempt started"; sleep 120; else echo bad > src/result.txt; fi
            """);
        using var repo = MissionRepo.Create(("resumable", Brief(agent, "max-attempts: 3")));

        using (var run = CliRunner.Start(repo.Root, null, "delegate", "--all"))
        {
            var deadline = Stopwatch.StartNew();
            while (!MissionLog(repo, "resumable").Contains("second attempt started", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }

            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
        }

        File.WriteAllText(agent, $"#!/bin/sh\nmkdir -p src\nif grep -q \"previous attempt failed\" \"$1\"; then echo good > src/result.txt; else echo bad > src/result.txt; fi\n");

        var resumed = await CliRunner.RunAsync(repo.Root, "resume", "--json");

        resumed.ExitCode.ShouldBe(0, resumed.All);
        repo.Git("show", "loops/resumable:src/result.txt").Trim().ShouldBe("good");
        var journal = File.ReadAllText(Directory.GetFiles(repo.Path(".loops/state/journal"), "*.jsonl").Single());
        journal.Split('\n').Count(l => l.Contains("\"attempt-started\"", StringComparison.Ordinal)).ShouldBe(1);
        JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output).RootElement.GetArrayLength().ShouldBe(1);
    }

    /// <summary>Everything the mission logged in every run so far (the agent's output included), or "" before the first line.</summary>
    internal static string MissionLog(TempGitRepo repo, string mission)
    {
        var runs = repo.Path(".loops/state/runs");
        return Directory.Exists(runs)
            ? string.Concat(Directory.GetFiles(runs, $"{mission}.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(ReadShared))
            : "";
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private string Script(string body) => AgentScript.Write(_scripts, body);

    private static string Brief(string? script, string agent)
    {
        var command = script is null ? "" : $"command: \"sh {script} {{prompt_file}}\", ";
        return "kind: agent\n"
            + "on: {manual: true}\n"
            + "scope: {include: [\"src/**\"]}\n"
            + "constraints: {max-files: 5, max-lines: 50, timeout: 3m}\n"
            + "agent: {" + command + agent + "}\n"
            + "gates: [diff, {command: {run: \"grep -q good src/result.txt\"}}]\n"
            + "success: [src/result.txt says good]\n";
    }
}
