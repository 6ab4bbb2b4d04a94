using System.Xml.Linq;

namespace ExecutionLoops.Pair;

/// <summary>
/// Finds the test projects a change affects: those that contain a changed file or reference (directly or
/// transitively) a project that does. Projects are read as XML (no evaluation): ProjectReference items
/// and the Microsoft.NET.Test.Sdk / IsTestProject markers. A loaded graph is kept by <c>pair watch</c> between
/// runs and read again only when a project file changed, so a save costs no walk of the tree.
/// </summary>
internal sealed class AffectedTests
{
    /// <summary>Folders that never hold a project of the solution (build output, tool state, packages).</summary>
    private static readonly HashSet<string> SkippedFolders = new(["bin", "obj", ".git", ".loops", "node_modules", ".vs", ".idea"], StringComparer.OrdinalIgnoreCase);

    private readonly string _root;
    private readonly IReadOnlyList<string> _projects;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _references;
    private readonly IReadOnlyList<string> _tests;

    private AffectedTests(string root, IReadOnlyList<string> projects)
    {
        _root = root;
        _projects = projects;
        var documents = projects.ToDictionary(p => p, Read, StringComparer.Ordinal);
        _references = projects.ToDictionary(p => p, p => References(p, documents[p]), StringComparer.Ordinal);
        _tests = projects.Where(p => IsTestProject(documents[p])).ToList();
    }

    /// <summary>Reads the project graph under <paramref name="root"/>.</summary>
    public static AffectedTests Load(string root) => new(root, ProjectFiles(root).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList());

    /// <summary>Absolute paths of the affected test projects, sorted.</summary>
    public static IReadOnlyList<string> Find(string root, IEnumerable<string> changedPaths) => Load(root).For(changedPaths);

    /// <summary>True when a change to <paramref name="path"/> can change the graph (a project file).</summary>
    public static bool IsProjectFile(string path) =>
        path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".vbproj", StringComparison.OrdinalIgnoreCase);

    /// <summary>Absolute paths of the test projects <paramref name="changedPaths"/> (relative to the root) affect, sorted.</summary>
    public IReadOnlyList<string> For(IEnumerable<string> changedPaths)
    {
        var touched = Touched(changedPaths);
        return touched.Count == 0 ? [] : _tests.Where(test => Closure(test).Overlaps(touched)).ToList();
    }

    /// <summary>
    /// Every project whose build a change can alter: the projects holding a changed file and all that reference them,
    /// directly or transitively (test projects included), sorted; empty when the change is in no project.
    /// </summary>
    public IReadOnlyList<string> Dependents(IEnumerable<string> changedPaths)
    {
        var touched = Touched(changedPaths);
        return touched.Count == 0 ? [] : _projects.Where(project => Closure(project).Overlaps(touched)).ToList();
    }

    /// <summary>
    /// The projects to build for <paramref name="changedPaths"/> instead of the whole solution (<see cref="Dependents"/>),
    /// or null when only a whole build is sound: a change outside every project, or to a project or build file
    /// (<c>.props</c>, <c>.targets</c>), can alter any project.
    /// </summary>
    public IReadOnlyList<string>? BuildScope(IReadOnlyCollection<string> changedPaths)
    {
        if (changedPaths.Count == 0 || changedPaths.Any(p => IsProjectFile(p) || p.EndsWith(".props", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".targets", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return changedPaths.All(p => Owner(Path.GetFullPath(Path.Combine(_root, p))) is not null) ? Dependents(changedPaths) : null;
    }

    private string? Owner(string file) =>
        _projects.Where(p => file.StartsWith(Path.GetDirectoryName(p)! + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)
            .FirstOrDefault();

    private HashSet<string> Touched(IEnumerable<string> changedPaths)
    {
        // A changed file belongs to the project with the deepest folder containing it.
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in changedPaths.Select(p => Path.GetFullPath(Path.Combine(_root, p))))
        {
            if (Owner(file) is { } owner)
            {
                touched.Add(owner);
            }
        }

        return touched;
    }

    private static IEnumerable<string> ProjectFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                continue; // a folder we may not read holds no project we could build either
            }

            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                {
                    if (!SkippedFolders.Contains(Path.GetFileName(entry)))
                    {
                        pending.Push(entry);
                    }
                }
                else if (IsProjectFile(entry))
                {
                    yield return entry;
                }
            }
        }
    }

    private HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next) && _references.TryGetValue(next, out var direct))
            {
                foreach (var reference in direct)
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    private static IReadOnlyList<string> References(string project, XDocument? document)
    {
        var directory = Path.GetDirectoryName(project)!;
        return document?.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(include => !string.IsNullOrWhiteSpace(include))
            .Select(include => Path.GetFullPath(Path.Combine(directory, include!.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList() ?? [];
    }

    private static bool IsTestProject(XDocument? document) =>
        document?.Descendants().Any(e =>
            (e.Name.LocalName == "PackageReference" && (string?)e.Attribute("Include") == "Microsoft.NET.Test.Sdk")
            || (e.Name.LocalName == "IsTestProject" && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase))) == true;

    private static XDocument? Read(string project)
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
