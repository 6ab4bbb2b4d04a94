using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExecutionLoops.Agents.Clis;

/// <summary>
/// A coding-agent CLI that <c>use: command</c> runs unattended (<c>agent.preset</c>): its command line with the prompt
/// on standard input (never an argument: a prompt starting with <c>-</c> would be read as an option, and a long one
/// exceeds the argument limit), the permissions that let it edit and build inside the worktree, the variables it
/// may see, how <c>agent.endpoint</c> reaches it, and how to read its own report of the attempt.
/// </summary>
public abstract partial class AgentCli
{
    /// <summary>The presets, by <see cref="Name"/>.</summary>
    public static IReadOnlyList<AgentCli> All { get; } = [new ClaudeCli(), new CodexCli(), new AiderCli(), new CopilotCli(), new GeminiCli()];

    /// <summary>The preset called <paramref name="name"/>, or null.</summary>
    public static AgentCli? Find(string? name) => All.FirstOrDefault(cli => cli.Name == name);

    /// <summary>The value of <c>agent.preset</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The executable.</summary>
    public virtual string Program => Name;

    /// <summary>The credential variables it reads, each passed by value when set.</summary>
    public abstract IReadOnlyList<string> KeyVariables { get; }

    /// <summary>Its settings that pass through when set (endpoint, offline mode, retries); none of them holds a secret.</summary>
    public abstract IReadOnlyList<string> Variables { get; }

    /// <summary>The credential variable <c>agent.api-key-env</c> fills for this attempt (by default the first key variable).</summary>
    public virtual string KeyVariable(AgentCliContext context) => KeyVariables[0];

    /// <summary>The command line and the variables it needs for this attempt.</summary>
    public abstract AgentCliInvocation Invocation(AgentCliContext context);

    /// <summary>What its output (and any report file it wrote) says about the attempt.</summary>
    public abstract AgentCliOutput Read(string output, AgentCliContext context);

    /// <summary>The JSON objects among the output lines (CLIs mix in plain lines, such as warnings).</summary>
    protected static IEnumerable<JsonElement> JsonLines(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith('{'))
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }

            yield return element;
        }
    }

    /// <summary>True when a failed tool call's text says it was refused: by the CLI's permissions, its workspace rules, or the OS sandbox.</summary>
    protected static bool IsRefusal(string text) => RefusalPattern().IsMatch(text);

    /// <summary>A string property, or null.</summary>
    protected static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number property, or 0.</summary>
    protected static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>A nested property, or an undefined element.</summary>
    protected static JsonElement Property(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return default;
            }
        }

        return element;
    }

    /// <summary><c>[flag, model]</c>, or nothing without a model.</summary>
    protected static string[] ModelOption(string flag, string? model) => model is null ? [] : [flag, model];

    [GeneratedRegex(@"permission|denied|not permitted|not allowed|read-only file system|not in workspace|outside the allowed|haven't granted|requires approval|blocked by", RegexOptions.IgnoreCase)]
    private static partial Regex RefusalPattern();
}

/// <summary>What a preset is given to build its command line.</summary>
/// <param name="Model"><c>agent.model</c>, or null for the CLI's default.</param>
/// <param name="Endpoint"><c>agent.endpoint</c>, or null for the CLI's own service.</param>
/// <param name="Confined">True when the engine's OS sandbox confines the CLI: its own sandbox is then left off (nested namespaces fail on many hosts, and the engine's sandbox decides the network).</param>
/// <param name="PromptFile">The prompt as a file, for CLIs that read one.</param>
/// <param name="Scratch">A folder for the settings and reports the CLI reads or writes, within the sandbox's reach, deleted after the attempt.</param>
public sealed record AgentCliContext(string? Model, string? Endpoint, bool Confined, string PromptFile, string Scratch);

/// <summary>How to start the CLI.</summary>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Variables it needs set (they win over what passes through).</param>
public sealed record AgentCliInvocation(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Variables set only when the engine's environment does not pass them through (retries the user may raise).</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();

    /// <summary>False when the prompt goes by <see cref="AgentCliContext.PromptFile"/> instead of standard input.</summary>
    public bool PromptOnStandardInput { get; init; } = true;
}

/// <summary>What the CLI reported about the attempt.</summary>
/// <param name="Summary">Its final answer, or null.</param>
/// <param name="Usage">Turns and tokens, or null when it reports none.</param>
/// <param name="Refusals">Its own words for each tool call that was refused.</param>
/// <param name="Error">Its own words for why it failed, or null.</param>
public sealed record AgentCliOutput(string? Summary, AgentUsage? Usage, IReadOnlyList<string> Refusals, string? Error)
{
    /// <summary>Nothing readable.</summary>
    public static AgentCliOutput None { get; } = new(null, null, [], null);
}
