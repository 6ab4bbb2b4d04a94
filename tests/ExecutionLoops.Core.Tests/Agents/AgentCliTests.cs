using ExecutionLoops.Agents;
using ExecutionLoops.Agents.Clis;

namespace ExecutionLoops.Core.Tests.Agents;

/// <summary>The presets' command lines, environments and output reading, without the CLIs (RealAgentCliTests runs them).</summary>
public sealed class AgentCliTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("loops-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string> Presets => [.. AgentCli.All.Select(cli => cli.Name)];

    [Theory]
    [MemberData(nameof(Presets))]
    public void ThePromptIsNeverAnArgument_ItGoesOnStandardInputOrInAFile(string preset)
    {
        var cli = AgentCli.Find(preset)!;

        var invocation = cli.Invocation(Context(endpoint: "http://127.0.0.1:1/v1"));

        if (invocation.PromptOnStandardInput)
        {
            invocation.Arguments.ShouldNotContain(Path.Combine(_scratch, "prompt.md"));
        }
        else
        {
            invocation.Arguments.ShouldContain(Path.Combine(_scratch, "prompt.md"));
        }

        AgentSettings.Presets.ShouldContain(preset);
    }

    [Fact]
    public void TheWorkflowToken_ReachesCopilotOnlyWhenAgentEnvNamesIt()
    {
        var variables = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghs_workflow", ["GH_TOKEN"] = "gho_user", ["COPILOT_GITHUB_TOKEN"] = "github_pat_copilot" };
        var cli = new CopilotCli();
        var context = Context();

        var plain = CommandAgent.PresetEnvironment(cli, cli.Invocation(context), context, Settings("copilot"), variables.GetValueOrDefault);
        var named = CommandAgent.PresetEnvironment(cli, cli.Invocation(context), context, Settings("copilot") with { Environment = ["GH_TOKEN"] }, variables.GetValueOrDefault);

        plain.Keys.ShouldNotContain("GITHUB_TOKEN");
        plain.Keys.ShouldNotContain("GH_TOKEN");
        plain["COPILOT_GITHUB_TOKEN"].ShouldBe("github_pat_copilot");
        named["GH_TOKEN"].ShouldBe("gho_user");
        named.Keys.ShouldNotContain("GITHUB_TOKEN");
    }

    [Theory]
    [InlineData("claude", "ANTHROPIC_BASE_URL", "http://models.internal:8080")]
    [InlineData("copilot", "COPILOT_PROVIDER_BASE_URL", "http://models.internal:8080")]
    [InlineData("gemini", "GOOGLE_GEMINI_BASE_URL", "http://models.internal:8080")]
    [InlineData("aider", "OPENAI_API_BASE", "http://models.internal:8080")]
    public void TheEndpoint_BecomesTheCliVariable_AndApiKeyEnvFillsTheCliKey(string preset, string variable, string endpoint)
    {
        var cli = AgentCli.Find(preset)!;
        var context = Context(endpoint: endpoint);
        var variables = new Dictionary<string, string> { ["TEAM_MODEL_KEY"] = "team-key", [variable] = "http://stale.example" };

        var environment = CommandAgent.PresetEnvironment(cli, cli.Invocation(context), context, Settings(preset) with { ApiKeyVariable = "TEAM_MODEL_KEY" }, variables.GetValueOrDefault);

        environment[variable].ShouldBe(endpoint);
        environment[cli.KeyVariable(context)].ShouldBe("team-key");
        environment.Keys.ShouldNotContain("TEAM_MODEL_KEY");
    }

    [Fact]
    public void CodexTakesTheEndpointAsAProviderOfItsOwn_AndItsSandboxOnlyOutsideTheEngines()
    {
        var confined = new CodexCli().Invocation(Context(endpoint: "http://models.internal/v1")).Arguments;
        var unconfined = new CodexCli().Invocation(Context(confined: false)).Arguments;

        string.Join(' ', confined).ShouldContain("--sandbox danger-full-access");
        confined.ShouldContain("model_providers.loops.base_url=\"http://models.internal/v1\"");
        confined.ShouldContain("model_providers.loops.wire_api=\"responses\"");
        confined.ShouldContain("model_provider=\"loops\"");
        confined[^1].ShouldBe("-");
        string.Join(' ', unconfined).ShouldContain("--sandbox workspace-write");
        unconfined.ShouldNotContain("model_provider=\"loops\"");
    }

    [Fact]
    public void ClaudesRetriesDefaultToFew_ButTheUsersSettingWins()
    {
        var cli = new ClaudeCli();
        var context = Context();

        var defaulted = CommandAgent.PresetEnvironment(cli, cli.Invocation(context), context, Settings("claude"), _ => null);
        var chosen = CommandAgent.PresetEnvironment(cli, cli.Invocation(context), context, Settings("claude"), name => name == "CLAUDE_CODE_MAX_RETRIES" ? "8" : null);

        defaulted["CLAUDE_CODE_MAX_RETRIES"].ShouldBe("2");
        defaulted["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"].ShouldBe("1");
        chosen["CLAUDE_CODE_MAX_RETRIES"].ShouldBe("8");
    }

    [Fact]
    public void GeminiGetsItsSettingsInAHomeOfItsOwn()
    {
        var environment = new GeminiCli().Invocation(Context(endpoint: "http://127.0.0.1:9")).Environment;

        var settings = File.ReadAllText(Path.Combine(environment["GEMINI_CLI_HOME"], ".gemini", "settings.json"));
        settings.ShouldContain("\"selectedType\":\"gemini-api-key\"");
        settings.ShouldContain("\"usageStatisticsEnabled\":false");
        settings.ShouldContain("\"maxAttempts\":2");
    }

    [Fact]
    public void ClaudesReport_GivesTheAnswerTheUsageAndTheRefusalsInItsWords()
    {
        var output = """
            {"type":"system","subtype":"init"}
            {"type":"user","message":{"role":"user","content":[{"tool_use_id":"t1","type":"tool_result","content":"Claude requested permissions to use Bash, but you haven't granted it yet.","is_error":true}]}}
            {"type":"result","subtype":"success","is_error":false,"num_turns":2,"result":"I could not run the build.","usage":{"input_tokens":1200,"cache_read_input_tokens":300,"output_tokens":80},"permission_denials":[{"tool_name":"Bash","tool_use_id":"t1"}]}
            """;

        var read = new ClaudeCli().Read(output, Context());

        read.Summary.ShouldBe("I could not run the build.");
        read.Usage.ShouldBe(new AgentUsage(2, 1500, 80));
        read.Refusals.ShouldBe(["Claude requested permissions to use Bash, but you haven't granted it yet."]);
        read.Error.ShouldBeNull();
    }

    [Fact]
    public void CodexsEvents_GiveTheFailureAndTheSandboxRefusals()
    {
        var output = """
            {"type":"thread.started"}
            {"type":"item.completed","item":{"type":"command_execution","command":"touch /etc/x","aggregated_output":"touch: cannot touch '/etc/x': Read-only file system\n","exit_code":1}}
            {"type":"item.completed","item":{"type":"command_execution","command":"false","aggregated_output":"","exit_code":1}}
            {"type":"turn.failed","error":{"message":"Connection failed: error sending request"}}
            """;

        var read = new CodexCli().Read(output, Context());

        read.Refusals.ShouldBe(["touch /etc/x: touch: cannot touch '/etc/x': Read-only file system"]);
        read.Error.ShouldBe("Connection failed: error sending request");
        read.Usage.ShouldBeNull();
    }

    [Theory]
    [InlineData("API Error: Connection refused (ECONNREFUSED)", nameof(EndpointFailure.Unreachable))]
    [InlineData("Could not connect to local model provider at http://127.0.0.1:1/v1.", nameof(EndpointFailure.Unreachable))]
    [InlineData("[API Error: exception TypeError: fetch failed sending request]", nameof(EndpointFailure.Unreachable))]
    [InlineData("API Error: 401 {\"error\":\"invalid x-api-key\"}", nameof(EndpointFailure.KeyRefused))]
    [InlineData("the build failed", nameof(EndpointFailure.None))]
    public void EndpointFailures_AreReadFromTheCliWords(string words, string expected) => EndpointFailures.Classify(words).ShouldBe(Enum.Parse<EndpointFailure>(expected));

    private AgentCliContext Context(string? endpoint = null, bool confined = true) => new("some-model", endpoint, confined, Path.Combine(_scratch, "prompt.md"), _scratch);

    private static AgentSettings Settings(string preset) => AgentSettings.Resolve(new Dictionary<string, string> { ["preset"] = preset }, new Dictionary<string, string>()).Settings;
}
