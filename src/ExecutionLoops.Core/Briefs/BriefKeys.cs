namespace ExecutionLoops.Briefs;

/// <summary>
/// The keys a brief and the config accept, level by level. The parser reports anything else with a
/// suggestion, and a test keeps the JSON Schemas in agreement with these tables.
/// </summary>
internal static class BriefKeys
{
    public static readonly string[] Brief = ["id", "loop", "kind", "on", "scope", "constraints", "commands", "agent", "gates", "success", "review", "pair", "solution", "docs", "dependencies", "analyze", "format"];
    public static readonly string[] Docs = ["regions", "api"];
    public static readonly string[] Dependencies = ["update-types", "prerelease", "include", "exclude", "groups", "min-release-age", "skip-deprecated", "pin", "ignore", "vulnerable-first"];
    public static readonly string[] DependencyGroup = ["name", "include"];
    public static readonly string[] Analyze = ["diagnostics", "severity"];
    public static readonly string[] DocsApi = ["output"];
    public static readonly string[] DocsRegion = ["file", "region", "command", "source", "fence"];
    public static readonly string[] On = ["schedule", "manual"];
    public static readonly string[] Scope = ["include", "exclude"];
    public static readonly string[] Constraints = ["max-files", "max-lines", "max-bytes", "allow-binary", "timeout"];
    public static readonly string[] Command = ["run", "timeout"];
    public static readonly string[] Review = ["title", "labels", "reviewers", "assignees", "milestone", "issue", "draft-when", "commit-message"];
    public static readonly string[] Pair = ["goal", "timebox"];
    public static readonly string[] Config = ["base-branch", "missions", "solution", "review", "gates", "protected-paths", "timeout", "state-dir", "agent"];
    public static readonly string[] ConfigReview = ["target", "repository", "api-url", "remote", "trusted"];

    /// <summary>The options each gate understands (besides <c>required</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> GateOptions = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["build"] = ["required"],
        ["test"] = ["required", "filter"],
        ["format"] = ["required"],
        ["diff"] = ["required", "max-files", "max-lines", "max-bytes"],
        ["command"] = ["required", "run", "timeout"],
        ["coverage"] = ["required", "min-delta", "min", "mutate"],
        ["secrets"] = ["required"],
        ["docs"] = ["required", "require-summaries"],
        ["analyzers"] = ["required", "rules"],
    };
}
