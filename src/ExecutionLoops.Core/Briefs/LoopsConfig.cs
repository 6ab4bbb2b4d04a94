namespace ExecutionLoops.Briefs;

/// <summary>Repository defaults from <c>.loops/config.yml</c>; a brief overrides them.</summary>
public sealed record LoopsConfig
{
    /// <summary>Where the config lives relative to the repo root.</summary>
    public const string DefaultPath = ".loops/config.yml";

    /// <summary>The base branch missions start from; null means the current branch's HEAD commit.</summary>
    public string? BaseBranch { get; init; }

    /// <summary>Globs of mission briefs, relative to the repo root.</summary>
    public IReadOnlyList<string> Missions { get; init; } = [".loops/missions/*.md"];

    /// <summary>The .sln/.slnx/.csproj missions work on (repo-relative); null to discover the one at the root.</summary>
    public string? Solution { get; init; }

    /// <summary>The review target name (<c>local</c> is the embedded default).</summary>
    public string ReviewTarget { get; init; } = "local";

    /// <summary>Settings of the review target (<c>review.repository</c>, <c>review.api-url</c>, <c>review.remote</c>).</summary>
    public IReadOnlyDictionary<string, string> ReviewOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Gates used by briefs that name none.</summary>
    public IReadOnlyList<GateSpec> Gates { get; init; } = [];

    /// <summary>Extra protected paths (globs) on top of the built-in list.</summary>
    public IReadOnlyList<string> ProtectedPaths { get; init; } = [];

    /// <summary>Default timeout for a mission.</summary>
    public TimeSpan MissionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>State directory (journal, review queue) relative to the repo root.</summary>
    public string StateDirectory { get; init; } = ".loops/state";

    /// <summary>Agent defaults as raw key/value pairs.</summary>
    public IReadOnlyDictionary<string, string> Agent { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>notify:</c> settings every brief starts from.</summary>
    internal Notifications.NotifySettings Notify { get; init; } = Notifications.NotifySettings.Default;

    /// <summary>The config file path when one was loaded, else null.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The defaults used when the repo has no config file.</summary>
    public static LoopsConfig Default { get; } = new();

    /// <summary>The gates a brief runs: its own, or the config's defaults.</summary>
    public IReadOnlyList<GateSpec> GatesFor(MissionBrief brief) => brief.Gates.Count > 0 ? brief.Gates : Gates;
}
