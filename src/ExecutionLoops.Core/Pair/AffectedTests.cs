using System.Xml.Linq;

namespace ExecutionLoops.Pair;

/// <summary>
/// Finds the test projects a change affects: those that contain a changed file or reference (directly or
/// transitively) a project that does. Projects are read as XML (no evaluation): ProjectReference items
/// and the Microsoft.NET.Test.Sdk / IsTestProject markers.
/// </summary>
internal static class AffectedTests
{
    /// <summary>Absolute paths of the affected test projects, sorted.</summary>
    public static IReadOnlyList<string> Find(string root, IEnumerable<string> changedPaths)
    {
        var projects = Directory.EnumerateFiles(root, "*.*proj", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".vbproj", StringComparison.OrdinalIgnoreCase))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(Path.GetFullPath)
            .ToList();
        var references = projects.ToDictionary(p => p, References, StringComparer.Ordinal);
        var changed = changedPaths.Select(p => Path.GetFullPath(Path.Combine(root, p))).ToList();

        // A changed file belongs to the project with the deepest folder containing it.
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in changed)
        {
            var owner = projects.Where(p => file.StartsWith(Path.GetDirectoryName(p)! + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .OrderByDescending(p => p.Length)
                .FirstOrDefault();
            if (owner is not null)
            {
                touched.Add(owner);
            }
        }

        return projects.Where(IsTestProject).Where(test => Closure(test, references).Overlaps(touched)).Order(StringComparer.Ordinal).ToList();
    }

    private static HashSet<string> Closure(string project, IReadOnlyDictionary<string, IReadOnlyList<string>> references)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next) && references.TryGetValue(next, out var direct))
            {
                foreach (var reference in direct)
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    private static IReadOnlyList<string> References(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        return Load(project)?.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(include => !string.IsNullOrWhiteSpace(include))
            .Select(include => Path.GetFullPath(Path.Combine(directory, include!.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList() ?? [];
    }

    private static bool IsTestProject(string project) =>
        Load(project)?.Descendants().Any(e =>
            (e.Name.LocalName == "PackageReference" && (string?)e.Attribute("Include") == "Microsoft.NET.Test.Sdk")
            || (e.Name.LocalName == "IsTestProject" && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase))) == true;

    private static XDocument? Load(string project)
    {
        try
        {
            return XDocument.Load(project);
        }
        catch (System.Xml.XmlException)
        {
            return null; // a project the SDK cannot read either; the build reports it
        }
    }
}
