using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ExecutionLoops.Agents;
using ExecutionLoops.Agents.Clis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Cli.Tests.TestSupport.ModelServer;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Processes;
using Xunit.Abstractions;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The real coding-agent CLIs (the pinned npm packages) run their presets through `loops`, inside the real sandbox,
/// against a scripted model server on 127.0.0.1 that speaks each one's protocol. Nothing leaves the machine: every
/// test ends by asserting that the canary proxy saw no connection.
/// </summary>
[Collection(AgentClisCollection.Name)]
public sealed class RealAgentCliTests : IDisposable
{
    private const string Greeting = "namespace Lib;\n\npublic static class Greeting\n{\n    public static string Hello(string name) => $\"Hello, {name}!\";\n}\n";
    private readonly AgentClis _clis;
    private readonly ITestOutputHelper _output;
    private readonly List<TempGitRepo> _repos = [];
    private readonly List<string> _folders = [];

    public RealAgentCliTests(AgentClis clis, ITestOutputHelper output)
    {
        _clis = clis;
        _output = output;
        _clis.Model.Exchanges.Clear();
        _clis.Model.Script = _ => new ModelStep.Answer("done");
        _clis.Model.Delay = TimeSpan.Zero;
        _clis.Canary.Attempts.Clear();
    }

    // Aider is not among them: it comes from PyPI, which this project's CI cannot reach.
    public static TheoryData<string> Presets => ["claude", "codex", "copilot", "gemini"];

    public void Dispose()
    {
        _clis.Model.Delay = TimeSpan.Zero;
        foreach (var repo in _repos)
        {
            repo.Dispose();
        }

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public void EachPresetsCommandLine_UsesOnlyOptionsTheInstalledCliOffers(string preset)
    {
        var cli = AgentCli.Find(preset)!;
        var help = Run(cli.Program, preset == "codex" ? ["exec", "--help"] : ["--help"]).Output;
        foreach (var confined in new[] { true, false })
        {
            var scratch = Folder("loops-help-");
            var invocation = cli.Invocation(new AgentCliContext("some-model", "http://127.0.0.1:9/v1", confined, Path.Combine(scratch, "prompt.md"), scratch));
            foreach (var option in invocation.Arguments.Where(a => a.StartsWith('-') && a.Length > 1).Select(a => a.Split('=')[0]).Distinct())
            {
                help.ShouldContain(option, customMessage: $"{preset} {_clis.Versions.Single(v => v.Key.Contains(preset, StringComparison.Ordinal)).Value} no longer offers {option}");
            }
        }
    }

    [RealCliFact]
    public void CodexAcceptsEveryConfigKeyThePresetSets_UnderStrictConfig()
    {
        // Codex ignores unknown -c keys unless --strict-config: a renamed key would otherwise go unnoticed.
        var repo = Tiny("strict", "codex");
        var scratch = Folder("loops-strict-");
        var invocation = new CodexCli().Invocation(new AgentCliContext(AgentClis.ModelOf("codex"), _clis.Endpoint("codex"), true, Path.Combine(scratch, "prompt.md"), scratch));

        var (exit, output) = Run(Path.Combine(_clis.Bin, "codex"), ["exec", "--strict-config", .. invocation.Arguments.Skip(1)], repo.Root, "Say done.", new Dictionary<string, string>(invocation.Environment) { ["CODEX_API_KEY"] = AgentClis.FakeKey });

        exit.ShouldBe(0, output);
        output.ShouldContain("\"text\":\"done\"");
        NothingLeftTheMachine();
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public async Task Delegate_TheCliEditsInScope_BuildsInTheSandbox_AndItsWriteOutsideTheScopeIsReverted(string preset)
    {
        _clis.Model.Script = conversation => conversation.UserText.Contains("the previous attempt failed", StringComparison.Ordinal)
            ? new ModelStep.Answer("Kept the greeting; NOTES.md is gone.")
            : conversation.Turn switch
            {
                0 => new ModelStep.WriteFile("src/Lib/Greeting.cs", Greeting),
                1 => new ModelStep.WriteFile("NOTES.md", "outside the scope\n"),
                2 => new ModelStep.Shell("dotnet build src/Lib/Lib.csproj"),
                _ => new ModelStep.Answer("Added Greeting.Hello; the build passed."),
            };
        var repo = Tiny("greet", preset, "max-attempts: 2");

        var result = await DelegateAsync(repo, preset);

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("show", "loops/greet:src/Lib/Greeting.cs").ShouldBe(Greeting);
        repo.Git("ls-tree", "--name-only", "loops/greet").ShouldNotContain("NOTES.md");
        var journal = File.ReadAllText(Directory.GetFiles(repo.Path(".loops/state/journal"), "*.jsonl").Single());
        journal.ShouldContain("NOTES.md");
        journal.ShouldContain("EL5010");
        var build = _clis.Model.AgentTurns.SelectMany(e => e.Conversation.ToolResults).FirstOrDefault(r => r.Contains("Build succeeded", StringComparison.Ordinal));
        build.ShouldNotBeNull($"{preset} ran no successful dotnet build; tool results: {string.Join(" | ", _clis.Model.AgentTurns.SelectMany(t => t.Conversation.ToolResults))}");
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("sandbox").GetString()!.ShouldStartWith("bwrap");
        mission.GetProperty("gates").EnumerateArray().ShouldAllBe(g => g.GetProperty("status").GetString() == "passed");
        var usage = mission.GetProperty("agentUsage");
        var turns = _clis.Model.AgentTurns;
        (usage.GetProperty("attempts").GetInt32(), usage.GetProperty("turns").GetInt32()).ShouldBe((2, turns.Count));
        (usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64()).ShouldBe((turns.Sum(t => (long)t.Usage.Input), turns.Sum(t => (long)t.Usage.Output)));
        var item = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "greet", "--json")).Output).RootElement;
        item.GetProperty("body").GetString()!.ShouldContain($"**Agent:** `{preset}`");
        NothingLeftTheMachine();
    }

    [RealCliFact]
    public async Task PairAsk_WithClaudeCode_ProposesTheEditWithoutTouchingTheDevelopersFiles()
    {
        _clis.Model.Play(new ModelStep.WriteFile("src/Lib/Greeting.cs", Greeting), new ModelStep.Answer("Proposed Greeting.Hello."));
        var repo = Tiny("unused", "claude");
        (await CliRunner.RunProcessAsync(repo.Root, _clis.Environment("claude"), false, "pair", "start", "--goal", "Greet people")).ExitCode.ShouldBe(0);

        var ask = await CliRunner.RunProcessAsync(repo.Root, _clis.Environment("claude"), false, "pair", "ask", "add a greeting");

        ask.ExitCode.ShouldBe(0, ask.All);
        ask.Output.ShouldContain("+    public static string Hello(string name) => $\"Hello, {name}!\";");
        File.Exists(repo.Path("src/Lib/Greeting.cs")).ShouldBeFalse();
        _clis.Model.AgentTurns[0].Conversation.UserText.ShouldContain("add a greeting");
        NothingLeftTheMachine();
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public async Task ADeadEndpoint_EndsInSecondsWithEL5003(string preset)
    {
        var repo = Tiny("dead", preset, url: $"http://127.0.0.1:{ClosedPort()}");
        var clock = Stopwatch.StartNew();

        var result = await DelegateAsync(repo, preset);

        _output.WriteLine($"{preset}: EL5003 after {clock.Elapsed.TotalSeconds:0.0} s: {Diagnostic(result).Message}");
        result.ExitCode.ShouldBe(1, result.All);
        Diagnostic(result).Code.ShouldBe("EL5003", result.All);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45));
        NothingLeftTheMachine();
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public async Task AHungModel_KillsTheCliAtTheAgentTimeout_WithEL5006(string preset)
    {
        _clis.Model.Delay = TimeSpan.FromMinutes(5);
        var repo = Tiny("hung", preset, "max-attempts: 1, timeout: 5s");
        var clock = Stopwatch.StartNew();

        var result = await DelegateAsync(repo, preset);

        result.ExitCode.ShouldBe(1, result.All);
        Diagnostic(result).Code.ShouldBe("EL5006", result.All);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        NothingLeftTheMachine();
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public async Task ACliWhoseToolsWereAllRefused_AndThatChangedNothing_IsEL5015InItsOwnWords(string preset)
    {
        // Outside the clone: the sandbox makes it read-only, and Copilot and Gemini refuse paths outside their workspace.
        _clis.Model.Play(new ModelStep.WriteFile("../outside.txt", "escaped\n"), new ModelStep.Answer("I could not write the file."));
        var repo = Tiny("refused", preset, "max-attempts: 1");

        var result = await DelegateAsync(repo, preset);

        result.ExitCode.ShouldBe(1, result.All);
        var (code, message) = Diagnostic(result);
        _output.WriteLine($"{preset}: {message}");
        code.ShouldBe("EL5015", result.All);
        message.ShouldContain("exited 0 but changed nothing");
        new[] { "read-only file system", "permission denied", "not in workspace" }.ShouldContain(words => message.Contains(words, StringComparison.OrdinalIgnoreCase), message);
        NothingLeftTheMachine();
    }

    [RealCliTheory]
    [MemberData(nameof(Presets))]
    public async Task APromptStartingWithADash_ReachesTheCliAsText(string preset)
    {
        var repo = Tiny("dash", preset);
        var home = Folder("loops-dash-home-");
        var settings = AgentSettings.Resolve(new Dictionary<string, string> { ["preset"] = preset, ["endpoint"] = _clis.Endpoint(preset), ["model"] = AgentClis.ModelOf(preset) ?? "" }, new Dictionary<string, string>()).Settings;
        var brief = new MissionBrief { Id = "dash", Kind = "agent", Title = "dash", Specification = "", SourcePath = "", RelativePath = ".loops/missions/dash.md" };
        var log = new ListLog();
        var runner = new CliRunnerWithEnvironment(_clis, preset, home);

        var result = await new CommandAgent().RunAsync(new AgentRequest("--version\nAnswer with one word.", new AgentSandbox(repo.Root, brief, new LoopsConfig()), settings, log, runner, null, TimeSpan.FromMinutes(2)), CancellationToken.None);

        result.Succeeded.ShouldBeTrue(string.Join("\n", log.Lines));
        result.Summary.ShouldBe("done");
        _clis.Model.AgentTurns[0].Conversation.UserText.ShouldContain("--version\nAnswer with one word.");
        NothingLeftTheMachine();
    }

    private TempGitRepo Tiny(string id, string preset, string agent = "max-attempts: 1", string? url = null)
    {
        var settings = _clis.Agent(preset, agent, url);

        var repo = MissionRepo.Create((id, "kind: agent\n"
            + "on: {manual: true}\n"
            + "scope: {include: [\"src/**\"]}\n"
            + "constraints: {max-files: 5, max-lines: 50, timeout: 5m}\n"
            + $"agent: {settings}\n"
            + "gates: [diff, {command: {run: \"grep -q Hello src/Lib/Greeting.cs\"}}]\n"
            + "success: [Greeting.Hello greets by name]\n"));
        repo.Write(".loops/config.yml", $"solution: src/Lib/Lib.csproj\nagent: {settings}\n");
        repo.Write("README.md", "# tiny\n");
        repo.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("src/Lib/Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        repo.Commit("a tiny solution");
        _repos.Add(repo);
        return repo;
    }

    private Task<CliResult> DelegateAsync(TempGitRepo repo, string preset) =>
        CliRunner.RunProcessAsync(repo.Root, _clis.Environment(preset), false, "delegate", "--all", "--json");

    private static (string Code, string Message) Diagnostic(CliResult result)
    {
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0];
        return (diagnostic.GetProperty("code").GetString()!, diagnostic.GetProperty("message").GetString()!);
    }

    private void NothingLeftTheMachine() => _clis.Canary.Attempts.ShouldBeEmpty("a CLI tried to reach the internet");

    private string Folder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        _folders.Add(folder);
        return folder;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private (int Exit, string Output) Run(string program, IReadOnlyList<string> arguments, string? directory = null, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program.Contains('/') ? program : Path.Combine(_clis.Bin, program)) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? "" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A HOME of its own: the CLIs write their state there, never into the user's.
        start.Environment["HOME"] = Folder("loops-cli-home-");
        foreach (var (name, value) in _clis.Canary.Environment.Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private sealed class ListLog : IMissionLog
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Write(string line) => Lines.Enqueue(line);
    }

    /// <summary>Runs the CLI from the test install with its key, a HOME of its own and the canary: what `loops` would give it.</summary>
    private sealed class CliRunnerWithEnvironment(AgentClis clis, string preset, string home) : ProcessRunner
    {
        public override Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            var environment = new Dictionary<string, string?>(spec.Environment);
            foreach (var (name, value) in clis.Environment(preset).Where(v => v.Key != "PATH"))
            {
                environment[name] = value;
            }

            environment["HOME"] = home;
            return base.RunAsync(spec with { FileName = Path.Combine(clis.Bin, spec.FileName), Environment = environment }, cancellationToken);
        }
    }
}
