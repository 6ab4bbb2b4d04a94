using Microsoft.Extensions.FileSystemGlobbing;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Files a mission may change only when its brief names them explicitly (a literal path in
/// <c>scope.include</c>): build configuration, package sources and CI definitions, where a quiet change
/// alters every later build.
/// </summary>
internal static class ProtectedPaths
{
    /// <summary>The built-in protected globs; <c>protected-paths</c> in the config adds to them.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        "**/global.json", "**/nuget.config", "**/NuGet.Config", "**/NuGet.config", "**/Directory.Build.props", "**/Directory.Build.targets",
        "**/Directory.Build.rsp", "**/Directory.Packages.props", "**/*.props", "**/*.targets", ".github/workflows/**", ".github/actions/**",
        "**/azure-pipelines*.yml", ".azure-pipelines/**", ".gitlab-ci.yml", ".ci/**", "build.cake", ".config/dotnet-tools.json", "action.yml",
    ];

    /// <summary>The changed paths that are protected and not named by the brief.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<string> changedPaths, MissionBrief brief, LoopsConfig config)
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(BuiltIn);
        matcher.AddIncludePatterns(config.ProtectedPaths);
        var named = brief.Scope.Include.Where(glob => glob.IndexOfAny(['*', '?', '[', '{']) < 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return changedPaths.Where(path => matcher.Match(path).HasMatches && !named.Contains(path)).ToList();
    }
}
