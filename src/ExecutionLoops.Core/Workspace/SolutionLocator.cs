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

        throw LoopsException.InvalidInput(DiagnosticCodes.MissingValue, "No .sln, .slnx or project file at the repository root.", "Set 'solution:' in .loops/config.yml to the solution or project missions should use.");
    }
}
