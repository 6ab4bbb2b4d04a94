namespace ExecutionLoops.Briefs;

/// <summary>Which execution loop a brief belongs to.</summary>
public enum MissionLoop
{
    /// <summary>Asynchronous delegation: run unattended behind gates, open a review item.</summary>
    Delegate,

    /// <summary>Synchronous pair session with a developer.</summary>
    Pair,
}

/// <summary>
/// A mission brief: YAML front matter plus a Markdown specification, loaded from
/// <c>.loops/missions/*.md</c>. Immutable; crosses every layer.
/// </summary>
public sealed record MissionBrief
{
    /// <summary>The mission id (<c>[a-z0-9-]+</c>), the file name when not given.</summary>
    public required string Id { get; init; }

    /// <summary>Delegate or pair.</summary>
    public MissionLoop Loop { get; init; } = MissionLoop.Delegate;

    /// <summary>The toil kind (format, command, dependencies, docs, analyze, tests, agent).</summary>
    public required string Kind { get; init; }

    /// <summary>When the mission is due.</summary>
    public MissionTrigger Trigger { get; init; } = MissionTrigger.ManualOnly;

    /// <summary>Which files the mission may touch.</summary>
    public MissionScope Scope { get; init; } = MissionScope.Everything;

    /// <summary>Limits on the change and the run.</summary>
    public MissionConstraints Constraints { get; init; } = MissionConstraints.None;

    /// <summary>Gates from the brief; empty means "use the config's default gates".</summary>
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>Success criteria, as written.</summary>
    public IReadOnlyList<string> Success { get; init; } = [];

    /// <summary>How the review item is presented.</summary>
    public ReviewSettings Review { get; init; } = ReviewSettings.Default;

    /// <summary>Agent settings (agent, tests and docs kinds); raw key/value pairs until the agent issue types them.</summary>
    public IReadOnlyDictionary<string, string> Agent { get; init; } = new Dictionary<string, string>();

    /// <summary>The settings read from the brief sections of toil kinds (<c>docs:</c>, <c>commands:</c>…), by settings type.</summary>
    public IReadOnlyDictionary<Type, object> Settings { get; init; } = new Dictionary<Type, object>();

    /// <summary>Pair-session fields of a <c>loop: pair</c> brief: goal and time box.</summary>
    public PairSettings? Pair { get; init; }

    /// <summary>The .sln/.slnx/.csproj to work on (repo-relative), overriding the config; null to discover it.</summary>
    public string? Solution { get; init; }

    /// <summary>The title: the brief's first Markdown heading, else the id.</summary>
    public required string Title { get; init; }

    /// <summary>The Markdown body: the detailed specification handed to the executor.</summary>
    public string Specification { get; init; } = "";

    /// <summary>Absolute path of the brief file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Path of the brief relative to the repository root, with forward slashes.</summary>
    public required string RelativePath { get; init; }

    /// <summary>The settings of type <typeparamref name="T"/> from the brief, or their default when the brief has no such section.</summary>
    public T SettingsOf<T>()
        where T : class, IBriefSettings<T> =>
        Settings.TryGetValue(typeof(T), out var value) ? (T)value : T.Default;

    /// <summary>A copy of the brief with <paramref name="settings"/> in place of the settings of its type.</summary>
    public MissionBrief With<T>(T settings)
        where T : class, IBriefSettings<T> =>
        this with { Settings = new Dictionary<Type, object>(Settings) { [typeof(T)] = settings } };
}

/// <summary>When a mission is due.</summary>
/// <param name="Schedule">A five-field cron expression (UTC), or null.</param>
/// <param name="Manual">True when the mission runs only when named.</param>
public sealed record MissionTrigger(string? Schedule, bool Manual)
{
    /// <summary>Runs only when named on the command line.</summary>
    public static MissionTrigger ManualOnly { get; } = new(null, true);
}

/// <summary>Globs (relative to the repo root) of the files a mission may touch.</summary>
public sealed record MissionScope(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude)
{
    /// <summary>The whole repository.</summary>
    public static MissionScope Everything { get; } = new(["**/*"], []);
}

/// <summary>Limits on a mission's change and run time.</summary>
public sealed record MissionConstraints(int? MaxFiles, int? MaxLines, TimeSpan? Timeout)
{
    /// <summary>No limits.</summary>
    public static MissionConstraints None { get; } = new(null, null, null);

    /// <summary>Most bytes the change may add (new files' sizes plus the growth of changed ones); null for <see cref="ByteSize.DefaultLimit"/>.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>True when the change may add or rewrite binary files.</summary>
    public bool AllowBinary { get; init; }

    /// <summary>True when no limit is set.</summary>
    public bool IsEmpty => MaxFiles is null && MaxLines is null && Timeout is null;
}

/// <summary>One command of a <c>command</c> mission or a <c>command</c> gate.</summary>
/// <param name="Run">The shell command line.</param>
/// <param name="Timeout">Its own timeout, or null for the mission's.</param>
internal sealed record CommandSpec(string Run, TimeSpan? Timeout = null);

/// <summary>A gate as a brief or the config names it.</summary>
/// <param name="Name">build, test, format, diff, command, …</param>
/// <param name="Required">Required gates fail the mission; advisory ones mark the review item as draft.</param>
/// <param name="Options">The gate's options as written (kebab-case keys, scalar values; lists joined by newlines).</param>
public sealed record GateSpec(string Name, bool Required, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>A required gate without options.</summary>
    public static GateSpec Of(string name) => new(name, true, new Dictionary<string, string>());

    /// <summary>The options, read through typed accessors.</summary>
    public OptionValues Values => new(Options);
}

/// <summary>When the review item is opened as a draft.</summary>
public enum DraftPolicy
{
    /// <summary>Draft when an advisory gate failed.</summary>
    AdvisoryGatesFail,

    /// <summary>Always a draft.</summary>
    Always,

    /// <summary>Never a draft.</summary>
    Never,
}

/// <summary>How a mission's review item is presented.</summary>
public sealed record ReviewSettings(
    string? Title,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Reviewers,
    DraftPolicy DraftWhen,
    string? CommitMessage)
{
    /// <summary>Defaults: title from the brief, no labels or reviewers.</summary>
    public static ReviewSettings Default { get; } = new(null, [], [], DraftPolicy.AdvisoryGatesFail, null);

    /// <summary>People to assign the review item to.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];

    /// <summary>The milestone (by title) of the review item.</summary>
    public string? Milestone { get; init; }

    /// <summary>The issue the mission came from (its number), linked from the review item.</summary>
    public int? Issue { get; init; }

    /// <summary>Reviewers added as optional where the target tells required from optional (Azure Repos); <see cref="Reviewers"/> are required there.</summary>
    public IReadOnlyList<string> OptionalReviewers { get; init; } = [];

    /// <summary>Work items (ids) the review item links, where the target has work items (Azure Repos).</summary>
    public IReadOnlyList<int> WorkItems { get; init; } = [];

    /// <summary>Set the review item to complete itself once its policies pass, when every required gate passed (Azure Repos).</summary>
    public bool AutoComplete { get; init; }
}

/// <summary>Pair-session fields a <c>loop: pair</c> brief supplies.</summary>
public sealed record PairSettings(string? Goal, TimeSpan? Timebox);

/// <summary>The <c>docs:</c> section of a brief.</summary>
/// <param name="Regions">Marker regions to refresh.</param>
internal sealed record DocsSettings(IReadOnlyList<DocsRegion> Regions) : IBriefSettings<DocsSettings>
{
    /// <summary>Nothing to refresh.</summary>
    public static DocsSettings None { get; } = new([]);

    /// <inheritdoc />
    public static DocsSettings Default => None;

    /// <summary>Folder (repo-relative) for the generated API reference pages, or null for none.</summary>
    public string? ApiOutput { get; init; }

    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => Regions.Count == 0 && ApiOutput is null;
}

/// <summary>
/// A region <c>&lt;!-- loops:begin NAME --&gt;…&lt;!-- loops:end --&gt;</c> in a Markdown file, refreshed from a
/// command's output or a file.
/// </summary>
/// <param name="File">The Markdown file (repo-relative).</param>
/// <param name="Region">The region's name.</param>
/// <param name="Command">A shell command whose output fills the region, or null.</param>
/// <param name="Source">A file whose content fills the region, or null.</param>
/// <param name="Fence">Wrap the content in a code fence of this language (e.g. text, json), or null.</param>
internal sealed record DocsRegion(string File, string Region, string? Command, string? Source, string? Fence);

/// <summary>The <c>analyze:</c> section of a brief.</summary>
/// <param name="Diagnostics">Rule ids whose automatic code fixes are applied (CA1822, IDE0005, …); empty to only collect SARIF.</param>
/// <param name="Severity">The lowest severity fixed: info, warn or error.</param>
internal sealed record AnalyzeSettings(IReadOnlyList<string> Diagnostics, string Severity) : IBriefSettings<AnalyzeSettings>
{
    /// <summary>Collect findings only.</summary>
    public static AnalyzeSettings None { get; } = new([], "info");

    /// <inheritdoc />
    public static AnalyzeSettings Default => None;
}

/// <summary>The <c>format:</c> section of a brief.</summary>
/// <param name="Mode">Which fixes apply.</param>
internal sealed record FormatSettings(FormatMode Mode) : IBriefSettings<FormatSettings>
{
    /// <inheritdoc />
    public static FormatSettings Default { get; } = new(FormatMode.Auto);
}

/// <summary>The <c>commands:</c> section of a command mission.</summary>
/// <param name="Commands">Command lines run in order in the worktree.</param>
internal sealed record CommandSettings(IReadOnlyList<CommandSpec> Commands) : IBriefSettings<CommandSettings>
{
    /// <inheritdoc />
    public static CommandSettings Default { get; } = new([]);
}

/// <summary>What a <c>format</c> mission fixes (<c>format:</c> in the brief).</summary>
internal enum FormatMode
{
    /// <summary>Whitespace only, unless the .editorconfig sets style or analyzer severities: then everything.</summary>
    Auto,

    /// <summary>Indentation, spacing, new lines: <c>dotnet format whitespace --folder</c>, no restore, no solution load.</summary>
    Whitespace,

    /// <summary>Whitespace and code style (IDE rules): the solution is loaded, so it must restore.</summary>
    Style,

    /// <summary>Whitespace, style and analyzer fixes: <c>dotnet format</c> on the solution.</summary>
    All,
}
