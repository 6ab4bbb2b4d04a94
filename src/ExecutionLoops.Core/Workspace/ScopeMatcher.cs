using ExecutionLoops.Briefs;
using Microsoft.Extensions.FileSystemGlobbing;

namespace ExecutionLoops.Workspace;

/// <summary>Decides which repo-relative paths a mission's scope (include/exclude globs) covers.</summary>
internal sealed class ScopeMatcher
{
    private readonly Matcher _matcher = new(StringComparison.Ordinal);

    /// <summary>Builds the matcher for a scope.</summary>
    public ScopeMatcher(MissionScope scope)
    {
        _matcher.AddIncludePatterns(scope.Include);
        _matcher.AddExcludePatterns(scope.Exclude);
    }

    /// <summary>True when the repo-relative path is in scope.</summary>
    public bool IsInScope(string path) => _matcher.Match(path.Replace('\\', '/')).HasMatches;

    /// <summary>The paths in scope, in their order.</summary>
    public IReadOnlyList<string> Filter(IEnumerable<string> paths) => paths.Where(IsInScope).ToList();
}
