using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Workspace;

/// <summary>Finds the .sln/.slnx/.csproj the dotnet commands of a mission work on.</summary>
public static class SolutionLocator
{
    /// <summary>The configured workspace file (brief, then config), else the single solution or project at the root.</summary>
    /// <exception cref="LoopsException">EL1013 when none or several are found, or the configured one is missing.</exception>
    public static string Locate(string worktreePath, string? configured)
    {
        if (configured is not null)
        {
            var path = Path.GetFullPath(Path.Combine(worktreePath, configured));
            return File.Exists(path)
                ? path
                : throw LoopsException.InvalidInput(DiagnosticCodes.MissingValue, $"The solution '{configured}' does not exist in the repository.", "Fix 'solution:' in the brief or .loops/config.yml.");
        }

        foreach (var pattern in new[] { "*.sln", "*.slnx", "*.csproj", "*.fsproj", "*.vbproj" })
        {
            var found = Directory.GetFiles(worktreePath, pattern);
            if (found.Length == 1)
            {
                return found[0];
            }

            if (found.Length > 1)
            {
                throw LoopsException.InvalidInput(
                    DiagnosticCodes.MissingValue,
                    $"Several {pattern} files at the repository root: {string.Join(", ", found.Select(Path.GetFileName).Order(StringComparer.Ordinal))}.",
                    "Set 'solution:' in .loops/config.yml (or the brief) to the one missions should use.");
            }
        }

        var below = FindBelow(worktreePath);
        throw LoopsException.InvalidInput(
            DiagnosticCodes.MissingValue,
            "No .sln, .slnx or project file at the repository root.",
            below.Count > 0 ? $"Set 'solution:' in .loops/config.yml, e.g. 'solution: {below[0]}'." : "Set 'solution:' in .loops/config.yml to the solution or project missions should use.");
    }

    /// <summary>The problem <see cref="Locate"/> would report, or null when it finds one.</summary>
    public static Diagnostic? Check(string root, string? configured)
    {
        try
        {
            Locate(root, configured);
            return null;
        }
        catch (LoopsException ex)
        {
            return ex.Diagnostics[0];
        }
    }

    /// <summary>Solutions (.sln, .slnx) below the root, nearest first, relative with forward slashes (build outputs and tool folders skipped).</summary>
    public static IReadOnlyList<string> FindBelow(string root, int depth = 3)
    {
        var found = new List<string>();
        var level = new List<string> { root };
        for (var i = 0; i <= depth && level.Count > 0 && found.Count == 0; i++)
        {
            found.AddRange(level.SelectMany(folder => Directory.EnumerateFiles(folder, "*.sln").Concat(Directory.EnumerateFiles(folder, "*.slnx"))).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
            level = level.SelectMany(folder => Directory.EnumerateDirectories(folder)).Where(d => !Skipped.Contains(Path.GetFileName(d))).ToList();
        }

        return found;
    }

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { ".git", ".loops", "bin", "obj", "node_modules", "artifacts", ".vs", ".idea" };
}
