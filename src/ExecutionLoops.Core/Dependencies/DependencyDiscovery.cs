using System.Text.Json;
using System.Text.RegularExpressions;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Dependencies;

/// <summary>
/// Finds every declared dependency of a repository without a restore: project files, the Directory.Build.*
/// and Directory.Packages.props files that apply to each project (with their imports), versions held in
/// properties (followed to the one place they are defined), global.json, tool manifests and lock files.
/// </summary>
internal sealed partial class DependencyDiscovery
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "node_modules", ".vs", ".idea" };

    private readonly string _root;
    private readonly Dictionary<string, MSBuildXmlFile?> _files = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly Dictionary<(string File, int Offset, string Id), (Dependency Dependency, SortedSet<string> Projects)> _sites = [];
    private readonly List<UnresolvedReference> _unresolved = [];

    private DependencyDiscovery(string root) => _root = Path.GetFullPath(root);

    /// <summary>Reads the repository (or folder) at <paramref name="root"/>.</summary>
    public static DependencyInventory Discover(string root) => new DependencyDiscovery(root).Run();

    private DependencyInventory Run()
    {
        var projects = new List<string>();
        var lockFiles = new List<string>();
        foreach (var path in Walk(_root).Where(p => ProjectExtensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var relative = Relative(path);
            if (Load(path) is null)
            {
                continue;
            }

            projects.Add(relative);
            var locked = ReadLockFile(path);
            if (locked is not null)
            {
                lockFiles.Add(relative);
            }

            ReadProject(path, relative, locked ?? []);
        }

        ReadJsonFiles();
        var dependencies = _sites.Values
            .Select(s => s.Dependency with { Projects = [.. s.Projects] })
            .OrderBy(d => d.PackageId, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Site.File, StringComparer.Ordinal).ThenBy(d => d.Site.Offset)
            .ToList();
        var diagnostics = _diagnostics.DistinctBy(d => (d.Code, d.Path, d.Line, d.Message)).ToList();
        return new DependencyInventory(projects, dependencies, _unresolved.Distinct().ToList(), lockFiles, diagnostics);
    }

    private void ReadProject(string path, string relative, IReadOnlyDictionary<string, string> locked)
    {
        var directory = Path.GetDirectoryName(path)!;
        var buildProps = Chain(Nearest(directory, "Directory.Build.props"));
        var packagesProps = Chain(Nearest(directory, "Directory.Packages.props"));
        var project = Chain(path);
        var buildTargets = Chain(Nearest(directory, "Directory.Build.targets"));
        var evaluation = buildProps.Concat(packagesProps).Concat(project).Concat(buildTargets).ToList();
        var properties = evaluation
            .SelectMany(f => f.Properties.Select(p => (p.Name, File: f, p.Value)))
            .ToLookup(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var central = string.Equals(Evaluate(properties, "ManagePackageVersionsCentrally"), "true", StringComparison.OrdinalIgnoreCase);
        var references = buildProps.Concat(project).Concat(buildTargets).SelectMany(f => f.Items.Select(i => (File: f, Item: i))).ToList();
        var centralVersions = packagesProps.SelectMany(f => f.Items.Where(i => i.ItemType == "PackageVersion").Select(i => (File: f, Item: i))).ToList();

        foreach (var (file, item) in references.Where(r => r.Item.ItemType == "PackageReference" && !r.Item.IsUpdate))
        {
            var id = item.Include;
            if (item.VersionOverride is { } versionOverride)
            {
                AddSite(id, DependencyKind.VersionOverride, file, versionOverride, properties, relative, locked);
            }
            else if (item.Version is { } version)
            {
                AddSite(id, DependencyKind.PackageReference, file, version, properties, relative, locked);
            }
            else if (references.LastOrDefault(r => r.Item.IsUpdate && Same(r.Item.Include, id) && r.Item.Version is not null) is { File: not null } update)
            {
                AddSite(id, DependencyKind.PackageReference, update.File, update.Item.Version!, properties, relative, locked);
            }
            else if (central && centralVersions.LastOrDefault(c => Same(c.Item.Include, id) && c.Item.Version is not null) is { File: not null } pinned)
            {
                AddSite(id, DependencyKind.CentralVersion, pinned.File, pinned.Item.Version!, properties, relative, locked);
            }
            else
            {
                _unresolved.Add(new UnresolvedReference(id, relative, null, central ? "no PackageVersion in Directory.Packages.props" : "no version given"));
            }
        }

        foreach (var (file, item) in packagesProps.SelectMany(f => f.Items.Where(i => i.ItemType == "GlobalPackageReference").Select(i => (f, i))))
        {
            if (item.Version is { } version)
            {
                AddSite(item.Include, DependencyKind.GlobalPackageReference, file, version, properties, relative, locked);
            }
        }

        foreach (var file in evaluation)
        {
            foreach (var sdk in file.Sdks.Where(s => s.Value.Contains('/', StringComparison.Ordinal)))
            {
                var slash = sdk.Value.IndexOf('/', StringComparison.Ordinal);
                var offset = sdk.Offset + slash + 1;
                var version = new XmlValue(sdk.Value[(slash + 1)..], sdk.Line, sdk.Column + slash + 1, offset);
                AddSite(sdk.Value[..slash], DependencyKind.MSBuildSdk, file, version, properties, relative, locked);
            }
        }
    }

    /// <summary>Records a version site, following <c>$(Property)</c> to its single definition.</summary>
    private void AddSite(string id, DependencyKind kind, MSBuildXmlFile file, XmlValue version, ILookup<string, (string Name, MSBuildXmlFile File, XmlValue Value)> properties, string project, IReadOnlyDictionary<string, string> locked)
    {
        string? propertyName = null;
        for (var depth = 0; depth < 8; depth++)
        {
            var match = PropertyReference().Match(version.Value.Trim());
            if (!match.Success)
            {
                break;
            }

            propertyName = match.Groups[1].Value;
            var definitions = properties[propertyName].DistinctBy(d => (d.File.Path, d.Value.Offset)).ToList();
            if (definitions.Count == 0)
            {
                _unresolved.Add(new UnresolvedReference(id, project, version.Value, $"$({propertyName}) is not defined in the project or the Directory.*.props files it imports"));
                return;
            }

            if (definitions.Count > 1)
            {
                var places = string.Join(" and ", definitions.Select(d => $"{d.File.RelativePath}({d.Value.Line},{d.Value.Column})"));
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AmbiguousVersionProperty, $"The version property $({propertyName}) of '{id}' is defined in {definitions.Count} places: {places}; it was not updated.", definitions[0].File.RelativePath, definitions[0].Value.Line, definitions[0].Value.Column, "Define the property once (Directory.Packages.props or Directory.Build.props) so an update has one place to go."));
                _unresolved.Add(new UnresolvedReference(id, project, version.Value, $"$({propertyName}) is defined in {definitions.Count} places"));
                return;
            }

            (file, version) = (definitions[0].File, definitions[0].Value);
        }

        if (version.Value.Contains("$(", StringComparison.Ordinal))
        {
            _unresolved.Add(new UnresolvedReference(id, project, version.Value, "the version is an MSBuild expression"));
            return;
        }

        var site = new VersionSite(file.RelativePath, version.Line, version.Column, version.Offset, version.Value, propertyName);
        var key = (site.File, site.Offset, id.ToLowerInvariant());
        if (!_sites.TryGetValue(key, out var entry))
        {
            entry = (new Dependency(id, kind, site, [], locked.GetValueOrDefault(id.ToLowerInvariant())), new SortedSet<string>(StringComparer.Ordinal));
            _sites[key] = entry;
        }

        entry.Projects.Add(project);
    }

    private static string? Evaluate(ILookup<string, (string Name, MSBuildXmlFile File, XmlValue Value)> properties, string name) =>
        properties[name].Select(p => p.Value.Value.Trim()).LastOrDefault();

    private void ReadJsonFiles()
    {
        foreach (var path in Walk(_root).Where(p => Path.GetFileName(p) is "global.json" or "dotnet-tools.json").Order(StringComparer.Ordinal))
        {
            var relative = Relative(path);
            var (versions, problem) = Path.GetFileName(path) == "global.json" ? JsonVersionFiles.ReadGlobalJson(path, relative) : JsonVersionFiles.ReadToolManifest(path, relative);
            if (problem is not null)
            {
                _diagnostics.Add(problem);
            }

            foreach (var (id, kind, site) in versions)
            {
                _sites[(site.File, site.Offset, id.ToLowerInvariant())] = (new Dependency(id, kind, site, []), new SortedSet<string>(StringComparer.Ordinal) { relative });
            }
        }
    }

    /// <summary>Direct dependencies' resolved versions from the project's packages.lock.json (lower-case id → version).</summary>
    private Dictionary<string, string>? ReadLockFile(string projectPath)
    {
        var path = Path.Combine(Path.GetDirectoryName(projectPath)!, "packages.lock.json");
        if (!File.Exists(path))
        {
            return null;
        }

        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.TryGetProperty("dependencies", out var frameworks))
            {
                foreach (var framework in frameworks.EnumerateObject())
                {
                    foreach (var package in framework.Value.EnumerateObject())
                    {
                        if (package.Value.TryGetProperty("type", out var type) && type.GetString() is "Direct" or "CentralTransitive" && package.Value.TryGetProperty("resolved", out var version))
                        {
                            resolved[package.Name.ToLowerInvariant()] = version.GetString() ?? "";
                        }
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            _diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.MalformedProjectFile, $"'{Relative(path)}' is not valid JSON ({ex.Message}); it will be regenerated by the restore after an update.", Relative(path)));
        }

        return resolved;
    }

    /// <summary>A file and, before it, every file it imports (imported definitions come first, as the common patterns import at the top).</summary>
    private List<MSBuildXmlFile> Chain(string? path, int depth = 0)
    {
        if (path is null || depth > 8 || Load(path) is not { } file)
        {
            return [];
        }

        var chain = new List<MSBuildXmlFile>();
        foreach (var import in file.Imports)
        {
            if (ResolveImport(file.Path, import) is { } imported)
            {
                chain.AddRange(Chain(imported, depth + 1));
            }
        }

        chain.Add(file);
        return chain;
    }

    /// <summary>Resolves the import forms that can be read without evaluating MSBuild: relative paths, $(MSBuildThisFileDirectory) and GetPathOfFileAbove.</summary>
    private string? ResolveImport(string importer, string import)
    {
        var directory = Path.GetDirectoryName(importer)!;
        var above = GetPathOfFileAbove().Match(import);
        if (above.Success)
        {
            var start = above.Groups[2].Success ? Path.GetFullPath(Path.Combine(directory, above.Groups[2].Value.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.OrdinalIgnoreCase))) : directory;
            return Nearest(start, above.Groups[1].Value, exclude: importer);
        }

        var text = import.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.OrdinalIgnoreCase);
        if (text.Contains("$(", StringComparison.Ordinal) || text.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(directory, text.Replace('\\', '/')));
        return File.Exists(full) && IsInside(full) ? full : null;
    }

    /// <summary>The nearest file with this name in the folder or its parents, up to the repository root.</summary>
    private string? Nearest(string directory, string name, string? exclude = null)
    {
        for (var current = directory; current is not null && IsInside(current); current = Path.GetDirectoryName(current))
        {
            var candidate = Path.Combine(current, name);
            if (File.Exists(candidate) && candidate != exclude)
            {
                return candidate;
            }
        }

        return null;
    }

    private bool IsInside(string path) => path == _root || path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private MSBuildXmlFile? Load(string path)
    {
        if (!_files.TryGetValue(path, out var file))
        {
            (file, var problem) = MSBuildXmlFile.Read(path, Relative(path));
            if (problem is not null)
            {
                _diagnostics.Add(problem);
            }

            _files[path] = file;
        }

        return file;
    }

    private string Relative(string path) => Path.GetRelativePath(_root, path).Replace('\\', '/');

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Walk(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(directory).ToList();
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    var name = Path.GetFileName(child);
                    if (!SkippedFolders.Contains(name) && (name[0] != '.' || name == ".config"))
                    {
                        pending.Push(child);
                    }
                }
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"^\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyReference();

    [GeneratedRegex(@"GetPathOfFileAbove\(\s*'?([^',)]+)'?\s*(?:,\s*'([^']*)'\s*)?\)", RegexOptions.CultureInvariant)]
    private static partial Regex GetPathOfFileAbove();
}
