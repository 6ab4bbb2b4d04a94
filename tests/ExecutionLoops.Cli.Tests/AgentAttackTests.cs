using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The attack suite: scripted agents (shell scripts acting as a CLI would) try to escape the real sandbox. Each
/// test asserts that the attack was blocked or reverted, that it is named in the output, and that the user's
/// repository, its git directory and the files outside the clone are byte for byte what they were.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class AgentAttackTests : IDisposable
{
    // Fake credentials of real shapes: what a CI job would hold.
    internal const string GitHubToken = "ghp_L00psF4keT0kenF0rTheSandb0xSuite0123";
    internal const string OpenAiKey = "sk-proj-LoopsFakeKeyForTheSandboxSuite0123456789";

    private readonly string _outside = VisibleFolder.Create("loops-outside-");
    private readonly string _scripts = VisibleFolder.Create("loops-attack-");

    public AgentAttackTests() => File.WriteAllText(Path.Combine(_outside, "victim.txt"), "untouched\n");

    public void Dispose()
    {
        Directory.Delete(_outside, recursive: true);
        Directory.Delete(_scripts, recursive: true);
    }

    [Fact]
    public async Task WritesOutsideTheClone_FailAndLeaveEverythingOutsideIdentical()
    {
        using var repo = MissionRepo.Create(("escape", Brief(Script($$"""
            echo escaped > ../escape.txt 2>&1 || echo "BLOCKED relative"
            echo escaped >> {{_outside}}/victim.txt || echo "BLOCKED absolute"
            echo planted > {{_outside}}/planted.txt || echo "BLOCKED new file"
            echo changed >> "$REPO/README.md" || echo "BLOCKED user checkout"
            echo changed > "$REPO/src/new.txt" || echo "BLOCKED untracked"
            echo changed >> /proc/self/root{{_outside}}/victim.txt || echo "BLOCKED proc root"
            echo '#!/bin/sh' > "$(git rev-parse --git-common-dir)/hooks/pre-commit" || echo "BLOCKED common dir"
            echo good > src/result.txt
            """))));
        var before = Fingerprint(repo.Root, _outside);

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(0, result.All);
        var log = AgentMissionTests.MissionLog(repo, "escape");
        foreach (var attempt in new[] { "relative", "absolute", "new file", "user checkout", "untracked", "proc root", "common dir" })
        {
            log.ShouldContain($"BLOCKED {attempt}");
        }

        Fingerprint(repo.Root, _outside).ShouldBe(before);
        File.Exists(Path.Combine(Path.GetDirectoryName(repo.Root)!, "escape.txt")).ShouldBeFalse();
        repo.Git("show", "--stat", "--format=", "loops/escape").ShouldContain("src/result.txt");
        repo.Git("show", "--stat", "--format=", "loops/escape").ShouldNotContain("README");
    }

    [Fact]
    public async Task Symlinks_LeadNowhere_AndAreReverted()
    {
        using var repo = MissionRepo.Create(("links", Brief(Script($$"""
            ln -s {{_outside}}/victim.txt src/victim-link
            echo appended >> src/victim-link || echo "BLOCKED file link"
            ln -s {{_outside}} src/outside-dir
            echo created > src/outside-dir/created.txt || echo "BLOCKED directory link"
            echo good > src/result.txt
            """), "max-attempts: 1")));
        var before = Fingerprint(repo.Root, _outside);

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(1, result.All);
        var log = AgentMissionTests.MissionLog(repo, "links");
        log.ShouldContain("BLOCKED file link");
        log.ShouldContain("BLOCKED directory link");
        SandboxPaths(result).ShouldBe(["src/outside-dir", "src/victim-link"], ignoreOrder: true);
        Fingerprint(repo.Root, _outside).ShouldBe(before);
    }

    [Fact]
    public async Task HooksAndConfig_CannotBePlanted_AndTheUsersNextCommitRunsNothing()
    {
        var ran = Path.Combine(_outside, "hook-ran");
        using var repo = MissionRepo.Create(("hooks", Brief(Script($$"""
            printf '#!/bin/sh\ntouch {{ran}}\n' > .git/hooks/post-commit || echo "BLOCKED clone hook"
            git config core.fsmonitor "touch {{ran}}" || echo "BLOCKED clone config"
            git update-ref refs/heads/main HEAD~0 2>/dev/null || echo "BLOCKED clone ref"
            echo good > src/result.txt
            """))));
        var before = Fingerprint(repo.Root, _outside);

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(0, result.All);
        var log = AgentMissionTests.MissionLog(repo, "hooks");
        log.ShouldContain("BLOCKED clone hook");
        log.ShouldContain("BLOCKED clone config");
        log.ShouldContain("BLOCKED clone ref");
        Fingerprint(repo.Root, _outside).ShouldBe(before);
        repo.Write("later.txt", "the user's own next commit\n");
        repo.Commit("user commit");
        repo.Git("status");
        File.Exists(ran).ShouldBeFalse();
    }

    [Fact]
    public async Task WithoutTheOsSandbox_TheCloneGuardStillPutsHooksConfigAndRefsBack()
    {
        var ran = Path.Combine(_outside, "hook-ran");
        using var repo = MissionRepo.Create(("guarded", Brief(Script($$"""
            mkdir -p .git/hooks
            printf '#!/bin/sh\ntouch {{ran}}\n' > .git/hooks/post-commit
            chmod +x .git/hooks/post-commit
            git config core.fsmonitor "touch {{ran}}"
            git update-ref refs/heads/planted HEAD
            echo good > src/result.txt
            """), "max-attempts: 1, sandbox: none")));

        var lint = await CliRunner.RunAsync(repo.Root, "lint");
        var result = await RunAsync(repo);

        lint.All.ShouldContain("EL5014");
        result.ExitCode.ShouldBe(1, result.All);
        SandboxPaths(result).ShouldBe([".git/config", ".git/hooks/post-commit", ".git/refs/heads/planted"], ignoreOrder: true);
        JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("sandbox").GetString()!.ShouldStartWith("none:");
        File.Exists(ran).ShouldBeFalse();
        repo.Git("branch", "--list", "planted").ShouldBeEmpty();
    }

    [Fact]
    public async Task TheAgent_CannotReadTheEnginesEnvironmentOrTheUsersCredentials()
    {
        using var repo = MissionRepo.Create(("thief", Brief(Script("""
            { cat /proc/*/environ; env; cat "$REPO/.git/config"; cat ~/.git-credentials; cat ~/.config/gh/hosts.yml; } 2>/dev/null | tr '\0' '\n' | grep -E 'TOKEN|KEY|extraheader' > src/loot.txt
            echo "processes: $(ls /proc | grep -c '^[0-9]')"
            echo good > src/result.txt
            """), "max-attempts: 1", gates: "[diff]")));

        var result = await RunAsync(repo, new Dictionary<string, string> { ["GITHUB_TOKEN"] = GitHubToken, ["OPENAI_API_KEY"] = OpenAiKey });

        result.ExitCode.ShouldBe(0, result.All);
        var loot = repo.Git("show", "loops/thief:src/loot.txt");
        loot.ShouldNotContain(GitHubToken);
        loot.ShouldNotContain(OpenAiKey);
        loot.ShouldNotContain("GITHUB_TOKEN");

        // A new PID namespace: the agent sees its own few processes, not the engine's.
        var processes = int.Parse(AgentMissionTests.MissionLog(repo, "thief").Split("processes: ")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        processes.ShouldBeLessThan(10);
    }

    [Fact]
    public async Task ARepositoryWhoseConfigHoldsCredentials_RefusesAgentMissions()
    {
        using var repo = MissionRepo.Create(("refused", Brief(Script("echo good > src/result.txt"))));
        repo.Git("config", "http.https://github.com/.extraheader", $"AUTHORIZATION: basic {Convert.ToBase64String("x-access-token:ghp_L00psF4keT0kenF0rTheSandb0xSuite0123"u8.ToArray())}");

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(3, result.All);
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("EL5012");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("http.https://github.com/.extraheader");
        diagnostic.GetProperty("hint").GetString()!.ShouldContain("persist-credentials: false");
        result.All.ShouldNotContain("basic eC1");
    }

    [Fact]
    public async Task WithoutARunningContainerEngine_TheContainerBackendStopsTheMission_NeverRunsUnsandboxed()
    {
        var ran = Path.Combine(_outside, "agent-ran");
        using var repo = MissionRepo.Create(("boxed", Brief(Script($"touch {ran}\necho good > src/result.txt"), "max-attempts: 1, sandbox: container, sandbox-image: sdk-with-agent:1")));

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(3, result.All);
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("EL5013");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("docker:");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("podman:");
        File.Exists(ran).ShouldBeFalse();
        repo.Git("branch", "--list", "loops/boxed").ShouldBeEmpty();
    }

    [Fact]
    public async Task HugeAndBinaryFiles_AreRevertedAsSandboxViolations()
    {
        using var repo = MissionRepo.Create(("bloat", Brief(Script("""
            head -c 3000000 /dev/urandom > src/blob.bin
            head -c 6000000 /dev/zero | tr '\0' 'a' > src/one-line.txt
            echo good > src/result.txt
            """), "max-attempts: 1")));

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(1, result.All);
        var gate = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates")[0];
        var messages = gate.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("message").GetString()!).ToList();
        messages.ShouldContain(m => m.Contains("'src/blob.bin' is a binary file", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("max-bytes 5 MB", StringComparison.Ordinal));
        (await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task ABoundedForkBombAndAProcessThatOutlivesTheAgent_DieWithTheSandbox()
    {
        var marker = $"37.{Random.Shared.Next(100, 999)}";
        using var repo = MissionRepo.Create(
            ("bomb", Brief(Script($$"""
                bomb() { if [ "$1" -gt 0 ]; then bomb $(($1 - 1)) & bomb $(($1 - 1)) & fi; sleep {{marker}}; }
                bomb 6
                """), "max-attempts: 1, timeout: 3s")),
            ("lingering", Brief(Script("""
                ( sleep 2; echo late > src/late.txt ) &
                echo good > src/result.txt
                """), "max-attempts: 1", gates: "[diff, {command: {run: \"sleep 4; test ! -f src/late.txt\"}}]")));

        var result = await RunAsync(repo);

        var missions = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("missionId").GetString()!);
        missions["bomb"].GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL5006");
        missions["lingering"].GetProperty("outcome").GetString().ShouldBe("published");
        await Task.Delay(500);
        Survivors(marker).ShouldBe(0);
    }

    [Fact]
    public async Task GateCommands_ShareTheGatesHost_AndNothingTheyStartOutlivesTheGates()
    {
        // The first gate leaves a process behind (as MSBuild's nodes and the compiler server stay); the second finds it
        // alive: one namespace for the gates. A gate that runs out of time takes the host with it, and the gates after
        // it run in sandboxes of their own. Afterwards, nothing of theirs is left.
        var marker = $"41.{Random.Shared.Next(100, 999)}";
        var gates = "[diff, "
            + $"{{command: {{run: \"sleep {marker} & echo $! > /tmp/lingering.pid\"}}}}, "
            + "{command: {run: \"kill -0 $(cat /tmp/lingering.pid)\"}}, "
            + $"{{command: {{run: \"sleep {marker}\", timeout: 2s, required: false}}}}, "
            + "{command: {run: \"grep -q good src/result.txt && ! kill -0 $(cat /tmp/lingering.pid)\"}}]";
        using var repo = MissionRepo.Create(("hosted", Brief(Script("echo good > src/result.txt"), gates: gates)));

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(0, result.All);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        var commands = mission.GetProperty("gates").EnumerateArray().Where(g => g.GetProperty("name").GetString() == "command").ToList();
        commands.Select(g => g.GetProperty("status").GetString()!.ToLowerInvariant()).ShouldBe(["passed", "passed", "failed", "passed"], result.All);
        commands[2].GetProperty("summary").GetString()!.ShouldContain("timed out");
        // The agent was done in milliseconds: the gates did not wait for the hosts' warm-up, they replaced them.
        AgentMissionTests.MissionLog(repo, "hosted").ShouldContain("gates: run in fresh gates' sandbox hosts");
        await Task.Delay(500);
        Survivors(marker).ShouldBe(0);
    }

    [Fact]
    public async Task ASecondAttempt_RunsItsGatesInHostsOfItsOwn()
    {
        // Each attempt's hosts start on an emptied /tmp: the request FIFO the first attempt's host left there once kept
        // the second attempt's hosts from starting, and its gate commands quietly ran in sandboxes of their own.
        var agent = Script("""
            if grep -q "previous attempt failed" "$1"; then echo good > src/result.txt; else echo bad > src/result.txt; fi
            """);
        var gates = "[diff, {command: {run: \"test -p /tmp/loops-gate-host/requests.fifo && grep -q good src/result.txt\"}}]";
        using var repo = MissionRepo.Create(("twice", Brief(agent, "max-attempts: 2", gates: gates)));

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(0, result.All);
        var log = AgentMissionTests.MissionLog(repo, "twice");
        log.Split("gates: run in fresh gates' sandbox hosts").Length.ShouldBe(3, log);
    }

    [Fact]
    public async Task GatesRunAgentWrittenBuildAndTestCode_InTheSandbox_WithoutTokensOrNetwork()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        using var repo = MissionRepo.Create(("builder", Brief(Script($$"""
            # An <Exec> target added to the project file (not a protected path) runs during the build gate.
            sed -i 's|</Project>|<Target Name="Leak" BeforeTargets="Build"><Exec Command="env > {{_outside}}/build-env.txt \|\| true" /><Exec Command="env \| grep -e TOKEN -e KEY > leaked-at-build.txt \|\| true" /></Target></Project>|' src/Calc.Tests/Calc.Tests.csproj
            cat > src/Calc.Tests/LeakTests.cs <<'EOF'
            public class LeakTests
            {
                [Xunit.Fact]
                public void Leaks()
                {
                    System.IO.File.WriteAllText("{{_outside}}/test-env.txt", System.Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? "none");
                }

                [Xunit.Fact]
                public void ReachesTheNetwork()
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    Xunit.Assert.Throws<System.Net.Sockets.SocketException>(() => client.Connect("127.0.0.1", {{port}}));
                }
            }
            EOF
            """), "max-attempts: 1", gates: "[build, test]", scope: "[\"src/Calc.Tests/**\"]")));
        TestProject(repo);
        var before = Fingerprint(repo.Root, _outside);

        var result = await RunAsync(repo, new Dictionary<string, string> { ["GITHUB_TOKEN"] = GitHubToken, ["OPENAI_API_KEY"] = OpenAiKey });

        // The Leaks test fails (it cannot write outside): the required test gate fails, nothing is published.
        result.ExitCode.ShouldBe(1, result.All);
        var gates = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        gates["build"].GetProperty("status").GetString().ShouldBe("passed", result.Output);
        var failed = gates["test"].GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("message").GetString()!).ToList();
        failed.ShouldHaveSingleItem().ShouldContain("LeakTests.Leaks");
        Fingerprint(repo.Root, _outside).ShouldBe(before);
        accepted.IsCompleted.ShouldBeFalse();
        result.All.ShouldNotContain(GitHubToken);
        var clone = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("message").GetString()!.Split("kept for inspection: ")[1].Trim();
        File.ReadAllText(Path.Combine(clone, "src/Calc.Tests/leaked-at-build.txt")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ABuildTargetThatRewritesTheChangeAfterTheDiffGate_FailsTheMissionWithEL5020()
    {
        // The diff gate checks the change first; the build gate then runs the agent's target, which plants a line.
        using var repo = MissionRepo.Create(("rewriter", Brief(Script("""
            sed -i 's|</Project>|<Target Name="Plant" BeforeTargets="Build"><Exec Command="echo // planted after the checks >> CalcTests.cs" /></Target></Project>|' src/Calc.Tests/Calc.Tests.csproj
            echo '// the change the gates see' >> src/Calc.Tests/CalcTests.cs
            """), "max-attempts: 1", gates: "[diff, build]", scope: "[\"src/Calc.Tests/**\"]")));
        TestProject(repo);

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(1, result.All);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        var gates = mission.GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        gates["diff"].GetProperty("status").GetString().ShouldBe("passed");
        gates["build"].GetProperty("status").GetString().ShouldBe("passed");
        var rewritten = gates["sandbox"].GetProperty("diagnostics").EnumerateArray().ToList();
        rewritten.Select(d => (d.GetProperty("code").GetString(), d.GetProperty("path").GetString())).ShouldBe([("EL5020", "src/Calc.Tests/CalcTests.cs")]);
        repo.Git("branch", "--list", "loops/rewriter").ShouldBeEmpty();
    }

    [Fact]
    public async Task WhatTheAgentLeavesOutsideTheChange_CannotStandInForIt_InTheGates()
    {
        // An ignored file is not in the change, yet a tracked props file imports it when it exists; the agent's HOME,
        // temp and package folder are not in the change either. The gates must see the change and nothing else.
        using var repo = MissionRepo.Create(("leftovers", Brief(Script("""
            printf '<Project><Target Name="Planted" BeforeTargets="Build"><Error Text="PLANTED PROPS RAN" /></Target></Project>\n' > build.local.props
            mkdir -p src/Calc.Tests/obj && echo planted > src/Calc.Tests/obj/planted.txt
            echo planted > "$NUGET_PACKAGES/planted.txt"; echo planted > "$HOME/planted.txt"; echo planted > "$TMPDIR/planted.txt"
            echo '// the change' >> src/Calc.Tests/CalcTests.cs
            """), "max-attempts: 1", gates: "[build, {command: {run: \"for f in src/Calc.Tests/obj/planted.txt $NUGET_PACKAGES/planted.txt $HOME/planted.txt $TMPDIR/planted.txt; do if test -e $f; then echo SEEN $f; exit 1; fi; done\"}}]", scope: "[\"src/Calc.Tests/**\"]")));
        repo.Write("Directory.Build.props", "<Project>\n  <Import Project=\"build.local.props\" Condition=\"Exists('$(MSBuildThisFileDirectory)build.local.props')\" />\n</Project>\n");
        repo.Write(".gitignore", "*.local.props\nbin/\nobj/\n");
        TestProject(repo);

        var result = await RunAsync(repo);

        result.ExitCode.ShouldBe(0, result.All);
        var gates = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        gates["build"].GetProperty("status").GetString().ShouldBe("passed", result.Output);
        gates["command"].GetProperty("status").GetString().ShouldBe("passed", result.Output);
        result.All.ShouldNotContain("PLANTED PROPS RAN");
        repo.Git("show", "--stat", "--format=", "loops/leftovers").ShouldContain("CalcTests.cs");
    }

    internal static void TestProject(TempGitRepo repo)
    {
        repo.Write("Calc.slnx", "<Solution>\n  <Project Path=\"src/Calc.Tests/Calc.Tests.csproj\" />\n</Solution>\n");
        repo.Write("src/Calc.Tests/Calc.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
              </ItemGroup>
            </Project>
            """);
        repo.Write("src/Calc.Tests/CalcTests.cs", "public class CalcTests { [Xunit.Fact] public void Adds() => Xunit.Assert.Equal(2, 1 + 1); }\n");
        repo.Commit("a test project");
    }

    private async Task<CliResult> RunAsync(TempGitRepo repo, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["REPO"] = repo.Root };
        return await CliRunner.RunProcessAsync(repo.Root, variables, apphost: false, "delegate", "--all", "--json");
    }

    private static IReadOnlyList<string> SandboxPaths(CliResult result) =>
        JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates").EnumerateArray()
            .Single(g => g.GetProperty("name").GetString() == "sandbox")
            .GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("path").GetString()!).ToList();

    /// <summary>Every file of the user's checkout (git directory included, the engine's own state and mission refs excluded) and of the outside folder, hashed.</summary>
    internal static string Fingerprint(params string[] roots)
    {
        var lines = new List<string>();
        foreach (var root in roots)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.StartsWith(".loops/state/", StringComparison.Ordinal) || IsEngineGitState(relative))
                {
                    continue;
                }

                lines.Add($"{relative} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}");
            }
        }

        return string.Join('\n', lines);
    }

    // What the engine itself writes in the user's git directory when it publishes: fetched objects, the mission branch, its reflog.
    private static bool IsEngineGitState(string relative) =>
        relative.StartsWith(".git/objects/", StringComparison.Ordinal) || relative.StartsWith(".git/refs/heads/loops/", StringComparison.Ordinal)
        || relative.StartsWith(".git/logs/", StringComparison.Ordinal) || relative is ".git/index" or ".git/packed-refs" or ".git/FETCH_HEAD";

    private static int Survivors(string marker)
    {
        var count = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    private string Script(string body) => AgentScript.Write(_scripts, body);

    internal static string Brief(string script, string agent = "max-attempts: 1", string gates = "[diff, {command: {run: \"grep -q good src/result.txt\"}}]", string scope = "[\"src/**\"]") =>
        "kind: agent\n"
        + "on: {manual: true}\n"
        + $"scope: {{include: {scope}}}\n"
        + "constraints: {max-files: 5, max-lines: 50, timeout: 5m}\n"
        + $"agent: {{command: \"sh {script} {{prompt_file}}\", env: [REPO], {agent}}}\n"
        + $"gates: {gates}\n"
        + "success: [src/result.txt says good]\n";
}

/// <summary>Sandbox tests run one at a time: they start many processes and real builds on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
