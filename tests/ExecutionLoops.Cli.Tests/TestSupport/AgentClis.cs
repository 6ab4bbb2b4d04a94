using System.Diagnostics;
using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport.ModelServer;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// The real coding-agent CLIs, installed once per machine by <c>tests/agent-clis/install.sh</c> (the pinned versions
/// of its package.json; CI installs them in .ci/run), with one scripted model server and one canary proxy for the
/// whole collection. Nothing a CLI does may reach the internet: its outside traffic goes to the canary.
/// </summary>
public sealed class AgentClis : IAsyncLifetime
{
    /// <summary>The folder the install script printed.</summary>
    public string Root { get; private set; } = "";

    /// <summary>The folder of the CLIs' executables.</summary>
    public string Bin => Path.Combine(Root, "node_modules", ".bin");

    /// <summary>The pinned versions, by npm package.</summary>
    public IReadOnlyDictionary<string, string> Versions { get; private set; } = new Dictionary<string, string>();

    public ScriptedModelServer Model { get; private set; } = null!;

    public CanaryProxy Canary { get; } = new();

    /// <summary>False where npm is not on PATH: the real-CLI tests are skipped there (CI installs the CLIs before the tests).</summary>
    public static bool Installable { get; } = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "npm")));

    public const string NoNpm = "npm is not on PATH: the real coding-agent CLIs cannot be installed (tests/agent-clis/install.sh)";

    public async Task InitializeAsync()
    {
        if (!Installable)
        {
            return;
        }

        var folder = Path.Combine(TempGitRepo.SourceRoot(), "tests", "agent-clis");
        var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(folder, "install.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = install.StandardOutput.ReadToEndAsync();
        var error = install.StandardError.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/agent-clis/install.sh failed ({install.ExitCode}): {await error}");
        }

        Root = (await output).Trim();
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "package.json")));
        Versions = package.RootElement.GetProperty("dependencies").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Model = await ScriptedModelServer.StartAsync();
    }

    /// <summary>
    /// The environment of a `loops` process that runs <paramref name="preset"/> against the model server: the CLIs on
    /// PATH, a fake key of the CLI's own kind, the canary for anything else, the CLIs' offline switches.
    /// </summary>
    public Dictionary<string, string> Environment(string preset) => new(Canary.Environment)
    {
        ["PATH"] = $"{Bin}:{System.Environment.GetEnvironmentVariable("PATH")}",
        ["COPILOT_PKG_CACHE_HOME"] = Path.Combine(Root, "copilot-cache"),
        [Key(preset)] = FakeKey,
    };

    /// <summary>agent: settings of a brief or config that run <paramref name="preset"/> against the model server (or <paramref name="url"/>).</summary>
    public string Agent(string preset, string extra = "", string? url = null) =>
        $"{{preset: {preset}, endpoint: \"{Endpoint(preset, url)}\"{(ModelOf(preset) is { } model ? $", model: {model}" : "")}{(extra.Length > 0 ? ", " + extra : "")}}}";

    /// <summary>The endpoint as each CLI takes it: OpenAI-style ones with /v1, Anthropic and Gemini without.</summary>
    public string Endpoint(string preset, string? url = null) => (url ?? Model.Url) + (preset is "codex" or "copilot" ? "/v1" : "");

    public const string FakeKey = "sk-loops-fake-key-for-the-scripted-model-0123456789";

    /// <summary>The CLIs' models: BYOK needs one; Gemini's default would route through a classifier model first.</summary>
    public static string? ModelOf(string preset) => preset switch { "codex" => "gpt-5", "copilot" => "gpt-4.1", "gemini" => "gemini-2.5-pro", _ => null };

    public static string Key(string preset) => preset switch
    {
        "claude" => "ANTHROPIC_API_KEY",
        "codex" => "CODEX_API_KEY",
        "copilot" => "COPILOT_PROVIDER_API_KEY",
        _ => "GEMINI_API_KEY",
    };

    public async Task DisposeAsync()
    {
        if (Model is not null)
        {
            await Model.DisposeAsync();
        }

        Canary.Dispose();
    }
}

/// <summary>A test with the real CLIs: skipped where npm is missing (see <see cref="AgentClis.Installable"/>).</summary>
public sealed class RealCliFactAttribute : FactAttribute
{
    public RealCliFactAttribute() => Skip = AgentClis.Installable ? null : AgentClis.NoNpm;
}

/// <summary>A theory with the real CLIs: skipped where npm is missing.</summary>
public sealed class RealCliTheoryAttribute : TheoryAttribute
{
    public RealCliTheoryAttribute() => Skip = AgentClis.Installable ? null : AgentClis.NoNpm;
}

/// <summary>The real-CLI tests share one install, one model server and one canary, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AgentClisCollection : ICollectionFixture<AgentClis>
{
    public const string Name = "agent-clis";
}
