namespace ExecutionLoops.Briefs;

/// <summary>
/// The keys a brief and the config accept, level by level, besides those the registered parts declare (toil sections,
/// gate options). The parser reports anything else with a suggestion, and a test keeps the JSON Schemas in agreement.
/// </summary>
internal static class BriefKeys
{
    public static readonly string[] Brief = ["id", "loop", "kind", "on", "scope", "constraints", "agent", "gates", "success", "review", "pair", "solution", "notify"];
    public static readonly string[] On = ["schedule", "manual"];
    public static readonly string[] Scope = ["include", "exclude"];
    public static readonly string[] Constraints = ["max-files", "max-lines", "max-bytes", "allow-binary", "timeout"];
    public static readonly string[] Review = ["title", "labels", "reviewers", "assignees", "milestone", "issue", "draft-when", "commit-message", "optional-reviewers", "work-items", "auto-complete"];
    public static readonly string[] Pair = ["goal", "timebox"];
    public static readonly string[] Agent = ["use", "preset", "command", "model", "env", "endpoint", "api-key-env", "max-attempts", "max-turns", "max-tokens", "timeout", "price-input", "price-output", "draft-on-failure", "context-budget", "sandbox", "sandbox-image"];
    public static readonly string[] Config = ["base-branch", "missions", "solution", "review", "gates", "protected-paths", "timeout", "state-dir", "agent", "notify"];
    public static readonly string[] ConfigReview = ["target", "repository", "api-url", "remote", "trusted", "collection-url", "project", "dashboard"];
}
