using ExecutionLoops.Agents;
using ExecutionLoops.Briefs;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;

namespace ExecutionLoops.Core.Tests.Agents;

public sealed class AgentSettingsTests
{
    [Fact]
    public void TheBriefOverridesTheConfig_KeyByKey()
    {
        var config = new Dictionary<string, string> { ["preset"] = "claude", ["model"] = "sonnet", ["max-attempts"] = "5" };
        var brief = new Dictionary<string, string> { ["model"] = "opus", ["env"] = "A\nB", ["price-input"] = "3", ["price-output"] = "15", ["timeout"] = "20m" };

        var (settings, problems) = AgentSettings.Resolve(config, brief);

        problems.ShouldBeEmpty();
        (settings.Use, settings.Preset, settings.Model, settings.MaxAttempts, settings.Timeout).ShouldBe((AgentBackendKind.Command, "claude", "opus", 5, TimeSpan.FromMinutes(20)));
        settings.Environment.ShouldBe(["A", "B"]);
        new AgentUsage(3, 2_000_000, 100_000).Describe(settings).ShouldBe("3 turn(s), 2,100,000 tokens (2,000,000 in, 100,000 out), est. $7.5000");
    }

    [Theory]
    [InlineData("use", "robot", "agent.use must be command or chat, not 'robot'.")]
    [InlineData("preset", "claud", "agent.preset 'claud' is unknown. Did you mean 'claude'? Presets: claude, codex, aider, copilot, gemini.")]
    [InlineData("max-attempts", "zero", "agent.max-attempts must be a positive whole number, not 'zero'.")]
    public void BadValues_AreNamed(string key, string value, string problem)
    {
        var (_, problems) = AgentSettings.Resolve(new Dictionary<string, string> { ["preset"] = "codex" }, new Dictionary<string, string> { [key] = value });

        problems.ShouldContain(problem);
    }

    [Theory]
    [InlineData("preset", "claude", AgentBackendKind.Command)]
    [InlineData("command", "my-agent {prompt_file}", AgentBackendKind.Command)]
    [InlineData("model", "llama3", AgentBackendKind.Chat)]
    public void AnEndpoint_IsWhereAPresetOrCommandIsPointed_AndAloneMeansTheChatAgent(string key, string value, AgentBackendKind expected)
    {
        var (settings, _) = AgentSettings.Resolve(new Dictionary<string, string> { ["endpoint"] = "http://127.0.0.1:11434/v1" }, new Dictionary<string, string> { [key] = value });

        settings.Use.ShouldBe(expected);
    }

    [Fact]
    public void ChatNeedsAnEndpointAndAModel()
    {
        var (_, problems) = AgentSettings.Resolve(new Dictionary<string, string>(), new Dictionary<string, string> { ["use"] = "chat" });

        problems.Count.ShouldBe(2);
    }

    [Fact]
    public void Lint_ReportsUnknownAgentKeysWithTheirLine_AndIncompleteSettingsAsEL5001()
    {
        using var repo = new TempGitRepo(initialCommit: false);
        repo.Write(".loops/missions/helper.md", "---\nkind: agent\nconstraints: {max-files: 2}\ngates: [diff]\nsuccess: [x]\nagent:\n  modle: gpt\n---\n# Helper\n");
        repo.Write(".loops/missions/incomplete.md", "---\nkind: agent\nconstraints: {max-files: 2}\ngates: [diff]\nsuccess: [x]\nagent: {model: gpt}\n---\n# Incomplete\n");
        var vocabulary = ExecutionLoops.Execution.LoopsRegistry.VocabularyOf();

        var catalog = MissionCatalog.Load(repo.Root, LoopsConfig.Default, vocabulary);

        catalog.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.UnknownKey && d.Line == 7 && d.Message == "Unknown key 'modle' in 'agent'.");
        catalog.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AgentConfigInvalid && d.Path == ".loops/missions/incomplete.md" && d.Message.StartsWith("agent needs a preset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token")]
    [InlineData("key = AKIAABCDEFGHIJKLMNOP", "AWS access key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "private key")]
    [InlineData("Server=db;User Id=sa;Password=hunter2!;", "connection string with a secret")]
    [InlineData("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx", "OpenAI or Anthropic key")]
    public void SecretsScan_RecognisesCommonFormats(string line, string kind) => SecretsGate.Scan(line).ShouldContain(kind);

    [Theory]
    [InlineData("var password = Environment.GetEnvironmentVariable(\"DB_PASSWORD\");")]
    [InlineData("// see https://github.com/org/repo")]
    [InlineData("PWD=/home/runner/work/shop/shop")]
    public void SecretsScan_LeavesOrdinaryCodeAlone(string line) => SecretsGate.Scan(line).ShouldBeEmpty();
}
