using System.Globalization;
using ExecutionLoops.Briefs;

namespace ExecutionLoops.Agents;

/// <summary>Which kind of agent backend runs the work.</summary>
public enum AgentBackendKind
{
    /// <summary>An external coding-agent CLI run non-interactively in the worktree.</summary>
    Command,

    /// <summary>An OpenAI-compatible chat endpoint driven by our own tool loop.</summary>
    Chat,
}

/// <summary>
/// The agent settings of a mission: the config's <c>agent:</c> defaults (and <c>LOOPS_AGENT_*</c> variables)
/// overridden key by key by the brief's <c>agent:</c>. Keys are listed in <see cref="Keys"/>.
/// </summary>
public sealed record AgentSettings
{
    /// <summary>The keys <c>agent:</c> accepts.</summary>
    public static readonly string[] Keys = BriefKeys.Agent;

    /// <summary>The presets of <c>use: command</c>.</summary>
    public static readonly string[] Presets = [.. Clis.AgentCli.All.Select(cli => cli.Name)];

    /// <summary>Command or chat.</summary>
    public AgentBackendKind Use { get; init; } = AgentBackendKind.Command;

    /// <summary>The preset CLI (<see cref="Presets"/>), or null for a custom <see cref="Command"/>.</summary>
    public string? Preset { get; init; }

    /// <summary>A custom command line with <c>{prompt_file}</c>, <c>{model}</c> and <c>{worktree}</c> placeholders.</summary>
    public string? Command { get; init; }

    /// <summary>The model name, if the backend takes one.</summary>
    public string? Model { get; init; }

    /// <summary>Environment variables allowed through to a command agent (besides the basics every program needs and the preset's key).</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The model endpoint: the chat agent's OpenAI-compatible base URL (e.g. http://localhost:11434/v1 for Ollama), or the base URL a preset CLI is pointed at.</summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// The variable that holds the endpoint's key, when <c>agent.api-key-env</c> names one: the chat agent reads it, and a
    /// preset CLI gets its value under the CLI's own key variable.
    /// </summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>The variable the chat agent reads its key from.</summary>
    public string ChatKeyVariable => ApiKeyVariable ?? "OPENAI_API_KEY";

    /// <summary>Attempts before the mission gives up (gate failures are fed back between attempts).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Chat turns per attempt.</summary>
    public int MaxTurns { get; init; } = 40;

    /// <summary>Tokens (input + output) per attempt.</summary>
    public long MaxTokens { get; init; } = 400_000;

    /// <summary>Wall time per attempt; null for the mission's timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Price per million input tokens, for the cost estimate.</summary>
    public decimal? PriceInput { get; init; }

    /// <summary>Price per million output tokens, for the cost estimate.</summary>
    public decimal? PriceOutput { get; init; }

    /// <summary>When every attempt failed, publish a draft with the failure report instead of nothing.</summary>
    public bool DraftOnFailure { get; init; }

    /// <summary>Characters of repository context in the prompt.</summary>
    public int ContextBudget { get; init; } = 24_000;

    /// <summary>The OS sandbox of agent-written code: auto (bwrap, else a container), bwrap, container, or none (an explicit opt-out).</summary>
    public Isolation.SandboxMode Sandbox { get; init; } = Isolation.SandboxMode.Auto;

    /// <summary>The image of the container backend (with the .NET SDK and the agent CLI).</summary>
    public string? SandboxImage { get; init; }

    /// <summary>The values <c>agent.sandbox</c> takes.</summary>
    public static readonly string[] SandboxModes = ["auto", "bwrap", "container", "none"];

    /// <summary>Merges config defaults and brief values (the brief wins) and types them; problems are returned, not thrown.</summary>
    public static (AgentSettings Settings, IReadOnlyList<string> Problems) Resolve(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> brief)
    {
        var values = new Dictionary<string, string>(config, StringComparer.Ordinal);
        foreach (var (key, value) in brief)
        {
            values[key] = value;
        }

        var problems = new List<string>();
        var settings = new AgentSettings();
        string? Text(string key) => values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
        int Int(string key, int fallback)
        {
            if (Text(key) is not { } text)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                return number;
            }

            problems.Add($"agent.{key} must be a positive whole number, not '{text}'.");
            return fallback;
        }

        decimal? Price(string key)
        {
            if (Text(key) is not { } text)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) && price >= 0)
            {
                return price;
            }

            problems.Add($"agent.{key} must be a price per million tokens, not '{text}'.");
            return null;
        }

        var preset = Text("preset");

        // An endpoint alone means the chat agent; with a preset or a command it is where that CLI is pointed.
        var use = Text("use") ?? (Text("endpoint") is not null && preset is null && Text("command") is null ? "chat" : "command");
        if (use is not ("command" or "chat"))
        {
            problems.Add($"agent.use must be command or chat, not '{use}'.");
        }

        if (preset is not null && !Presets.Contains(preset))
        {
            problems.Add($"agent.preset '{preset}' is unknown.{(Suggest.DidYouMean(preset, Presets) is { } hint ? " " + hint : "")} Presets: {string.Join(", ", Presets)}.");
        }

        TimeSpan? timeout = null;
        if (Text("timeout") is { } timeoutText)
        {
            if (DurationParser.TryParse(timeoutText, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                problems.Add($"agent.timeout is not a duration: '{timeoutText}'.");
            }
        }

        var sandbox = Text("sandbox") ?? "auto";
        if (!SandboxModes.Contains(sandbox))
        {
            problems.Add($"agent.sandbox must be one of {string.Join(", ", SandboxModes)}, not '{sandbox}'.{(Suggest.DidYouMean(sandbox, SandboxModes) is { } sandboxHint ? " " + sandboxHint : "")}");
            sandbox = "auto";
        }

        settings = settings with
        {
            Use = use == "chat" ? AgentBackendKind.Chat : AgentBackendKind.Command,
            Preset = preset,
            Command = Text("command"),
            Model = Text("model"),
            Environment = (Text("env") ?? "").Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Endpoint = Text("endpoint"),
            ApiKeyVariable = Text("api-key-env"),
            MaxAttempts = Int("max-attempts", 3),
            MaxTurns = Int("max-turns", 40),
            MaxTokens = Int("max-tokens", 400_000),
            Timeout = timeout,
            PriceInput = Price("price-input"),
            PriceOutput = Price("price-output"),
            DraftOnFailure = string.Equals(Text("draft-on-failure"), "true", StringComparison.OrdinalIgnoreCase),
            ContextBudget = Int("context-budget", 24_000),
            Sandbox = sandbox switch { "bwrap" => Isolation.SandboxMode.Bubblewrap, "container" => Isolation.SandboxMode.Container, "none" => Isolation.SandboxMode.None, _ => Isolation.SandboxMode.Auto },
            SandboxImage = Text("sandbox-image"),
        };

        if (settings.Sandbox == Isolation.SandboxMode.Container && settings.SandboxImage is null)
        {
            problems.Add("agent.sandbox: container needs sandbox-image: an image with the .NET SDK and the agent CLI.");
        }

        if (settings.Use == AgentBackendKind.Command && settings.Preset is null && settings.Command is null)
        {
            problems.Add($"agent needs a preset ({string.Join(", ", Presets)}) or a command, or use: chat with an endpoint.");
        }

        if (settings.Use == AgentBackendKind.Chat && (settings.Endpoint is null || !Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out _)))
        {
            problems.Add("agent.use: chat needs endpoint: an OpenAI-compatible base URL (https://api.openai.com/v1, http://localhost:11434/v1, …).");
        }

        if (settings.Use == AgentBackendKind.Chat && settings.Model is null)
        {
            problems.Add("agent.use: chat needs model: the model name.");
        }

        return (settings, problems);
    }
}
