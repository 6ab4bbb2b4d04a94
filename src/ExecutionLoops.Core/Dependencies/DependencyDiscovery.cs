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
    private readonly HashSet<(string File, int Offset)> _unfollowed = [];
    private readonly Dictionary<string, bool> _exists = new(StringComparer.Ordinal);

    /// <summary>Properties the SDK or the command line sets: a condition on them cannot be decided from the files.</summary>
    private static readonly HashSet<string> SetOutsideTheFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "TargetFramework", "TargetFrameworks", "TargetFrameworkIdentifier", "TargetFrameworkVersion", "TargetFrameworkMoniker", "Configuration", "Platform",
        "RuntimeIdentifier", "RuntimeIdentifiers", "OS", "DesignTimeBuild", "BuildingInsideVisualStudio", "ContinuousIntegrationBuild", "SolutionDir", "SolutionName",
        "MSBuildRuntimeType", "MSBuildVersion", "VisualStudioVersion", "BuildingProject", "OutputType", "IsPackable", "IsTestProject",
    };
    private int _otherFilesRead;

    private DependencyDiscovery(string root) => _root = Path.GetFullPath(root);

    /// <summary>Reads the repository (or folder) at <paramref name="root"/>.</summary>
    public static DependencyInventory Discover(string root) => new DependencyDiscovery(root).Run();

    private DependencyInventory Run()
    {
        var projects = new List<string>();
        var lockFiles = new List<string>();
        var all = Walk(_root).ToList();
        foreach (var path in all.Where(p => ProjectExtensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
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

        ReadJsonFiles(all);
        foreach (var path in all.Where(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            if (ReadFileBasedApp(path))
            {
                projects.Add(Relative(path));
            }
        }

        var dependencies = _sites.Values
            .Select(s => s.Dependency with { Projects = [.. s.Projects] })
            .OrderBy(d => d.PackageId, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Site.File, StringComparer.Ordinal).ThenBy(d => d.Site.Offset)
            .ToList();
        var diagnostics = _diagnostics.DistinctBy(d => (d.Code, d.Path, d.Line, d.Message)).ToList();
        return new DependencyInventory(projects, dependencies, _unresolved.Distinct().ToList(), lockFiles, diagnostics)
        {
            FilesRead = _files.Values.Count(f => f is not null) + _otherFilesRead,
            UnfollowedImports = _unfollowed.Count,
        };
    }

    private void ReadProject(string path, string relative, IReadOnlyDictionary<string, string> locked)
    {
        var directory = Path.GetDirectoryName(path)!;
        var state = new Evaluation(path);
        var buildProps = Chain(Nearest(directory, "Directory.Build.props"), state);
        var packagesStart = state.Items.Count;
        var packagesProps = Chain(Nearest(directory, "Directory.Packages.props"), state);
        var packagesEnd = state.Items.Count;
        var project = Chain(path, state);
        var buildTargets = Chain(Nearest(directory, "Directory.Build.targets"), state);
        var evaluation = buildProps.Concat(packagesProps).Concat(project).Concat(buildTargets).ToList();
        var properties = evaluation
            .SelectMany(f => f.Properties.Select(p => (p.Name, File: f, p.Value)))
            .ToLookup(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var central = string.Equals(Evaluate(properties, "ManagePackageVersionsCentrally"), "true", StringComparison.OrdinalIgnoreCase);
        // Items in evaluation order: an import's items come where the import is, so Update items apply as MSBuild applies them.
        var references = state.Items.Take(packagesStart).Concat(state.Items.Skip(packagesEnd)).ToList();
        var centralVersions = state.Items.Skip(packagesStart).Take(packagesEnd - packagesStart).Where(i => i.Item.ItemType == "PackageVersion").ToList();

        for (var index = 0; index < references.Count; index++)
        {
            var (file, item) = references[index];
            if (item.ItemType != "PackageReference" || item.IsUpdate)
            {
                continue;
            }

            var id = item.Include;

            // Update items after the Include win (MSBuild applies them in order); each conditioned one is its own site.
            var updates = Applicable(references.Skip(index + 1).Where(r => r.Item.ItemType == "PackageReference" && r.Item.IsUpdate && Same(r.Item.Include, id) && (r.Item.Version ?? r.Item.VersionOverride) is not null).ToList());
            if (updates.Count > 0)
            {
                foreach (var update in updates)
                {
                    var overrides = update.Item.VersionOverride is not null;
                    AddSite(id, overrides ? DependencyKind.VersionOverride : DependencyKind.PackageReference, update.File, (update.Item.VersionOverride ?? update.Item.Version)!, properties, relative, locked, update.Item.Condition);
                }
            }
            else if (item.VersionOverride is { } versionOverride)
            {
                AddSite(id, DependencyKind.VersionOverride, file, versionOverride, properties, relative, locked, item.Condition);
            }
            else if (item.Version is { } version)
            {
                AddSite(id, DependencyKind.PackageReference, file, version, properties, relative, locked, item.Condition);
            }
            else if (central && Applicable(centralVersions.Where(c => Same(c.Item.Include, id) && c.Item.Version is not null).ToList()) is { Count: > 0 } pins)
            {
                foreach (var pinned in pins)
                {
                    AddSite(id, DependencyKind.CentralVersion, pinned.File, pinned.Item.Version!, properties, relative, locked, pinned.Item.Condition);
                }
            }
            else
            {
                _unresolved.Add(new UnresolvedReference(id, relative, null, central ? "no PackageVersion in Directory.Packages.props" : "no version given"));
            }
        }

        foreach (var (file, item) in references.Where(r => r.Item.ItemType == "PackageDownload" && r.Item.Version is not null))
        {
            AddSite(item.Include, DependencyKind.PackageDownload, file, item.Version!, properties, relative, locked, item.Condition);
        }

        foreach (var (file, item) in packagesProps.SelectMany(f => f.Items.Where(i => i.ItemType == "GlobalPackageReference").Select(i => (f, i))))
        {
            if (item.Version is { } version)
            {
                AddSite(item.Include, DependencyKind.GlobalPackageReference, file, version, properties, relative, locked, item.Condition);
            }
        }

        foreach (var file in evaluation)
        {
            foreach (var sdk in file.Sdks.Where(s => s.Value.Contains('/', StringComparison.Ordinal)))
            {
                var slash = sdk.Value.IndexOf('/', StringComparison.Ordinal);
                var offset = sdk.Offset + slash + 1;
                var version = new XmlValue(sdk.Value[(slash + 1)..], sdk.Line, sdk.Column + slash + 1, offset);
                AddSite(sdk.Value[..slash], DependencyKind.MSBuildSdk, file, version, properties, relative, locked, null);
            }
        }
    }

    /// <summary>The items that set a version: every conditioned one (each its own site) and the last unconditioned one.</summary>
    private static List<(MSBuildXmlFile File, PackageItem Item)> Applicable(List<(MSBuildXmlFile File, PackageItem Item)> items)
    {
        var last = items.LastOrDefault(i => i.Item.Condition is null);
        return items.Where(i => i.Item.Condition is not null || (last.Item is not null && ReferenceEquals(i.Item, last.Item))).ToList();
    }

    /// <summary>Records a version site, following <c>$(Property)</c> to its single definition.</summary>
    private void AddSite(string id, DependencyKind kind, MSBuildXmlFile file, XmlValue version, ILookup<string, (string Name, MSBuildXmlFile File, XmlValue Value)> properties, string project, IReadOnlyDictionary<string, string> locked, string? condition)
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

        if (kind == DependencyKind.PackageDownload && ExactVersion().Matches(version.Value) is { Count: > 0 } exact)
        {
            // Version="[1.2.3]" or "[1.0.0];[2.0.0]": the site is the version inside the brackets, so an edit keeps them.
            foreach (Match match in exact)
            {
                var inner = match.Groups[1];
                Record(id, kind, new VersionSite(file.RelativePath, version.Line, version.Column + inner.Index, version.Offset + inner.Index, inner.Value, propertyName) { Condition = condition }, project, locked);
            }

            return;
        }

        Record(id, kind, new VersionSite(file.RelativePath, version.Line, version.Column, version.Offset, version.Value, propertyName) { Condition = condition }, project, locked);
    }

    private void Record(string id, DependencyKind kind, VersionSite site, string project, IReadOnlyDictionary<string, string> locked)
    {
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

    private void ReadJsonFiles(List<string> all)
    {
        foreach (var path in all.Where(p => Path.GetFileName(p) is "global.json" or "dotnet-tools.json").Order(StringComparer.Ordinal))
        {
            _otherFilesRead++;
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

        _otherFilesRead++;
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

    /// <summary>
    /// A file and, before it, every file it imports (imported definitions come first, as the common patterns import
    /// at the top). Properties are evaluated in document order along the chain, so an import's path and condition
    /// see the values MSBuild would; an import that cannot be evaluated statically is an EL7011 warning.
    /// </summary>
    private List<MSBuildXmlFile> Chain(string? path, Evaluation state, int depth = 0)
    {
        if (path is null || depth > 8 || Load(path) is not { } file)
        {
            return [];
        }

        var chain = new List<MSBuildXmlFile>();
        var emitted = 0;
        foreach (var step in file.Steps)
        {
            if (step.PropertyName is { } name)
            {
                var applies = step.Condition is null ? true : new ConditionEvaluator(this, file, state, step.Condition).Evaluate(out _);
                if (applies != false)
                {
                    state.Properties[name] = applies == true ? Expand(step.Value.Value, file, state, strict: false, out _) : null;
                }

                continue;
            }

            for (; emitted < file.Items.Count && file.Items[emitted].Line < step.Value.Line; emitted++)
            {
                state.Items.Add((file, file.Items[emitted]));
            }

            foreach (var imported in FollowImport(file, step, state))
            {
                chain.AddRange(Chain(imported, state, depth + 1));
            }
        }

        for (; emitted < file.Items.Count; emitted++)
        {
            state.Items.Add((file, file.Items[emitted]));
        }

        chain.Add(file);
        return chain;
    }

    /// <summary>The files an import brings in, evaluated with the properties defined so far.</summary>
    private List<string> FollowImport(MSBuildXmlFile file, EvaluationStep import, Evaluation state)
    {
        var raw = import.Value.Value.Trim();
        if (raw.Length == 0 || ToolsetImport().IsMatch(raw))
        {
            return []; // the SDK's, MSBuild's or a package's own files, outside the repository
        }

        if (import.Condition is { } condition)
        {
            var applies = new ConditionEvaluator(this, file, state, condition).Evaluate(out var unknown);
            if (applies == false)
            {
                return [];
            }

            if (applies is null)
            {
                return NotFollowed(file, import, $"its condition \"{condition}\" cannot be evaluated without MSBuild{(unknown is null ? "" : $" ($({unknown}) is not defined in the project, its Directory.Build.* files, their imports or the environment)")}");
            }
        }

        if (Expand(raw, file, state, strict: true, out var missing) is not { } text)
        {
            return NotFollowed(file, import, missing is null ? "its path cannot be evaluated without MSBuild" : $"$({missing}) is not defined in the project, its Directory.Build.* files, their imports or the environment");
        }

        if (text.Length == 0)
        {
            return []; // GetPathOfFileAbove found nothing inside the repository
        }

        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file.Path)!, text.Replace('\\', '/')));
        if (full.Contains('*', StringComparison.Ordinal) || full.Contains('?', StringComparison.Ordinal))
        {
            var folder = Path.GetDirectoryName(full)!;
            if (folder.Contains('*', StringComparison.Ordinal) || folder.Contains('?', StringComparison.Ordinal))
            {
                return NotFollowed(file, import, "a wildcard in a folder name cannot be followed");
            }

            return !IsInside(folder) || !Directory.Exists(folder) ? [] : [.. Directory.EnumerateFiles(folder, Path.GetFileName(full)).Where(f => f != file.Path).Order(StringComparer.Ordinal)];
        }

        if (!IsInside(full))
        {
            return [];
        }

        return FileExists(full) ? [full] : NotFollowed(file, import, $"'{Relative(full)}' does not exist");
    }

    private List<string> NotFollowed(MSBuildXmlFile file, EvaluationStep import, string why)
    {
        _unfollowed.Add((file.RelativePath, import.Value.Offset));
        _diagnostics.Add(Diagnostic.Warning(
            DiagnosticCodes.ImportNotFollowed,
            $"The import '{import.Value.Value.Trim()}' was not followed: {why}; the packages it references are not reported.",
            file.RelativePath,
            import.Value.Line,
            import.Value.Column,
            "Define the property in Directory.Build.props or the project (or build the path from $(MSBuildThisFileDirectory)), or give the import an Exists() condition the scanner can check."));
        return [];
    }

    /// <summary>
    /// Expands <c>$(Name)</c> references (the properties evaluated so far, the MSBuild* file and project properties,
    /// environment variables) and the <c>GetPathOfFileAbove</c>/<c>GetDirectoryNameOfFileAbove</c> functions. Null
    /// when something cannot be known statically; <paramref name="missing"/> names the property then.
    /// </summary>
    /// <param name="strict">True for paths: an undefined property is unknown. False for values and conditions: it is empty, as in MSBuild, unless the SDK or the command line sets it.</param>
    private string? Expand(string text, MSBuildXmlFile file, Evaluation state, bool strict, out string? missing)
    {
        string? unknown = null;
        var result = text.Contains("$(", StringComparison.Ordinal) ? PropertyUse().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (Lookup(name, file, state, strict) is { } value)
            {
                return value;
            }

            unknown ??= name;
            return match.Value;
        }) : text;
        missing = unknown;
        if (unknown is not null)
        {
            return null;
        }

        if (result.Contains("$([MSBuild]::", StringComparison.OrdinalIgnoreCase))
        {
            var directory = Path.GetDirectoryName(file.Path)!;
            result = GetPathOfFileAbove().Replace(result, m =>
            {
                var start = m.Groups[2].Success && m.Groups[2].Value.Trim().Length > 0 ? Path.GetFullPath(Path.Combine(directory, m.Groups[2].Value.Trim())) : directory;
                return Nearest(start.TrimEnd('/', '\\'), m.Groups[1].Value.Trim(), exclude: file.Path) ?? "";
            });
            result = GetDirectoryNameOfFileAbove().Replace(result, m =>
            {
                var start = Path.GetFullPath(Path.Combine(directory, m.Groups[1].Value.Trim()));
                return Nearest(start.TrimEnd('/', '\\'), m.Groups[2].Value.Trim()) is { } found ? Path.GetDirectoryName(found)! : "";
            });
        }

        return result.Contains("$(", StringComparison.Ordinal) ? null : result;
    }

    private static string? Lookup(string name, MSBuildXmlFile file, Evaluation state, bool strict)
    {
        var known = name.ToUpperInvariant() switch
        {
            "MSBUILDTHISFILEDIRECTORY" => Path.GetDirectoryName(file.Path) + "/",
            "MSBUILDTHISFILE" => Path.GetFileName(file.Path),
            "MSBUILDTHISFILENAME" => Path.GetFileNameWithoutExtension(file.Path),
            "MSBUILDTHISFILEEXTENSION" => Path.GetExtension(file.Path),
            "MSBUILDTHISFILEFULLPATH" => file.Path,
            "MSBUILDPROJECTDIRECTORY" => Path.GetDirectoryName(state.ProjectPath),
            "MSBUILDPROJECTFULLPATH" => state.ProjectPath,
            "MSBUILDPROJECTFILE" => Path.GetFileName(state.ProjectPath),
            "MSBUILDPROJECTNAME" => Path.GetFileNameWithoutExtension(state.ProjectPath),
            "MSBUILDPROJECTEXTENSION" => Path.GetExtension(state.ProjectPath),
            _ => null,
        };
        if (known is not null)
        {
            return known;
        }

        if (state.Properties.TryGetValue(name, out var value))
        {
            return value; // null: defined under a condition that could not be evaluated
        }

        if (Environment.GetEnvironmentVariable(name) is { } environment)
        {
            return environment;
        }

        return strict || SetOutsideTheFiles.Contains(name) ? null : "";
    }

    private bool FileExists(string path)
    {
        if (!_exists.TryGetValue(path, out var exists))
        {
            exists = File.Exists(path) || Directory.Exists(path);
            _exists[path] = exists;
        }

        return exists;
    }

    /// <summary>Properties defined while one project is evaluated (null: under a condition that could not be evaluated).</summary>
    private sealed class Evaluation(string projectPath)
    {
        public string ProjectPath { get; } = projectPath;

        public Dictionary<string, string?> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<(MSBuildXmlFile File, PackageItem Item)> Items { get; } = [];
    }

    /// <summary>
    /// MSBuild conditions, three-valued: <c>'a' == 'b'</c>, <c>!=</c>, <c>Exists('path')</c>, <c>HasTrailingSlash</c>,
    /// <c>!</c>, <c>and</c>, <c>or</c> and parentheses. Null when a value cannot be known statically.
    /// </summary>
    private sealed class ConditionEvaluator(DependencyDiscovery discovery, MSBuildXmlFile file, Evaluation state, string text)
    {
        private int _position;
        private string? _unknown;
        private bool _malformed;

        public bool? Evaluate(out string? unknown)
        {
            var result = Or();
            SkipSpace();
            unknown = _unknown;
            return _malformed || _position < text.Length ? null : result;
        }

        private bool? Or()
        {
            var left = And();
            while (Keyword("or"))
            {
                var right = And();
                left = left == true || right == true ? true : left is null || right is null ? null : false;
            }

            return left;
        }

        private bool? And()
        {
            var left = Unary();
            while (Keyword("and"))
            {
                var right = Unary();
                left = left == false || right == false ? false : left is null || right is null ? null : true;
            }

            return left;
        }

        private bool? Unary()
        {
            SkipSpace();
            if (Peek('!') && !(_position + 1 < text.Length && text[_position + 1] == '='))
            {
                _position++;
                return !Unary();
            }

            if (Peek('('))
            {
                _position++;
                var inner = Or();
                SkipSpace();
                if (!Peek(')'))
                {
                    _malformed = true;
                    return null;
                }

                _position++;
                return inner;
            }

            foreach (var function in (string[])["Exists", "HasTrailingSlash"])
            {
                if (string.Compare(text, _position, function, 0, function.Length, StringComparison.OrdinalIgnoreCase) == 0 && text.AsSpan(_position + function.Length).TrimStart().StartsWith("("))
                {
                    _position = text.IndexOf('(', _position) + 1;
                    var argument = Operand();
                    SkipSpace();
                    if (!Peek(')'))
                    {
                        _malformed = true;
                        return null;
                    }

                    _position++;
                    if (argument is null)
                    {
                        return null;
                    }

                    if (function == "HasTrailingSlash")
                    {
                        return argument.EndsWith('/') || argument.EndsWith('\\');
                    }

                    return argument.Trim().Length > 0 && discovery.FileExists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file.Path)!, argument.Trim().Replace('\\', '/'))));
                }
            }

            var left = Operand();
            SkipSpace();
            var comparison = text.AsSpan(_position) switch
            {
                var s when s.StartsWith("==") => "==",
                var s when s.StartsWith("!=") => "!=",
                var s when s.StartsWith("<=") || s.StartsWith(">=") => "ordered",
                var s when s.StartsWith("<") || s.StartsWith(">") => "ordered",
                _ => null,
            };
            if (comparison is null)
            {
                return left is null ? null : left.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : left.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : Malformed();
            }

            _position += comparison == "ordered" && (text[_position + 1] == '=') ? 2 : comparison == "ordered" ? 1 : 2;
            var right = Operand();
            if (comparison == "ordered" || left is null || right is null)
            {
                return null;
            }

            var equal = string.Equals(left.Trim(), right.Trim(), StringComparison.OrdinalIgnoreCase);
            return comparison == "==" ? equal : !equal;
        }

        private bool? Malformed()
        {
            _malformed = true;
            return null;
        }

        /// <summary>A quoted string, an unquoted <c>$(...)</c> or a bare word, expanded.</summary>
        private string? Operand()
        {
            SkipSpace();
            string raw;
            if (Peek('\''))
            {
                var end = text.IndexOf('\'', _position + 1);
                if (end < 0)
                {
                    _malformed = true;
                    return null;
                }

                raw = text[(_position + 1)..end];
                _position = end + 1;
            }
            else if (Peek('$') && _position + 1 < text.Length && text[_position + 1] == '(')
            {
                var depth = 0;
                var start = _position;
                for (; _position < text.Length; _position++)
                {
                    depth += text[_position] == '(' ? 1 : text[_position] == ')' ? -1 : 0;
                    if (depth == 0 && text[_position] == ')')
                    {
                        _position++;
                        break;
                    }
                }

                raw = text[start.._position];
            }
            else
            {
                var start = _position;
                while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '.' or '_' or '-'))
                {
                    _position++;
                }

                if (start == _position)
                {
                    _malformed = true;
                    return null;
                }

                raw = text[start.._position];
            }

            var value = discovery.Expand(raw, file, state, strict: false, out var missing);
            _unknown ??= missing;
            return value;
        }

        private bool Keyword(string word)
        {
            SkipSpace();
            if (string.Compare(text, _position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0 && (_position + word.Length == text.Length || !char.IsLetterOrDigit(text[_position + word.Length])))
            {
                _position += word.Length;
                return true;
            }

            return false;
        }

        private bool Peek(char c) => _position < text.Length && text[_position] == c;

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }

    /// <summary>
    /// A .NET 10 file-based app: a <c>*.cs</c> file whose leading lines (after a shebang, blank lines and comments)
    /// hold <c>#:package Name@Version</c> or <c>#:sdk Name@Version</c> directives. Each versioned directive is a
    /// site. Only the leading lines are read, so ordinary source files cost one short read.
    /// </summary>
    /// <summary>The common case, decided from the first 512 bytes: code (or the end of the file) before any <c>#:</c> line.</summary>
    private static bool HasNoLeadingDirectives(string path)
    {
        Span<byte> buffer = stackalloc byte[512];
        int read;
        using (var handle = File.OpenHandle(path))
        {
            read = RandomAccess.Read(handle, buffer, 0);
        }

        var bytes = buffer[..read];
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        else if (bytes.Length >= 2 && (bytes[0] is 0xFF or 0xFE || bytes[1] == 0))
        {
            return false; // UTF-16: let the full reader decide
        }

        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0 && read == buffer.Length)
            {
                return false; // a leading line longer than the buffer: let the full reader decide
            }

            var line = (end < 0 ? bytes : bytes[..end]).Trim(" \t\r"u8);
            if (line.StartsWith("#:"u8))
            {
                return false;
            }

            if (!(line.IsEmpty || line.StartsWith("//"u8) || line.StartsWith("#!"u8)))
            {
                return true;
            }

            bytes = end < 0 ? [] : bytes[(end + 1)..];
        }

        return read < buffer.Length;
    }

    private bool ReadFileBasedApp(string path)
    {
        try
        {
            if (HasNoLeadingDirectives(path))
            {
                return false;
            }

            using (var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
            {
                var directives = false;
                while (reader.ReadLine() is { } line)
                {
                    var trimmed = line.AsSpan().Trim();
                    if (trimmed.StartsWith("#:"))
                    {
                        directives = true;
                    }
                    else if (!(trimmed.IsEmpty || trimmed.StartsWith("//") || trimmed.StartsWith("#!")))
                    {
                        break;
                    }
                }

                if (!directives)
                {
                    return false;
                }
            }

            var source = SourceText.Read(path);
            var relative = Relative(path);
            _otherFilesRead++;
            var offset = 0;
            var text = source.Text;
            while (offset < text.Length)
            {
                var end = text.IndexOf('\n', offset);
                var line = end < 0 ? text[offset..] : text[offset..end];
                var trimmed = line.Trim();
                if (!(trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("#!", StringComparison.Ordinal) || trimmed.StartsWith("#:", StringComparison.Ordinal)))
                {
                    break;
                }

                if (Directive().Match(line) is { Success: true } directive)
                {
                    var sdk = directive.Groups[1].Value == "sdk";
                    var id = directive.Groups[2].Value;
                    if (directive.Groups[3].Success && directive.Groups[3].Value.Length > 0)
                    {
                        var at = offset + directive.Groups[3].Index;
                        var (lineNumber, column) = source.Position(at);
                        Record(id, sdk ? DependencyKind.MSBuildSdk : DependencyKind.PackageReference, new VersionSite(relative, lineNumber, column, at, directive.Groups[3].Value), relative, new Dictionary<string, string>());
                    }
                    else if (!sdk)
                    {
                        _unresolved.Add(new UnresolvedReference(id, relative, null, "the #:package directive gives no version"));
                    }
                }

                offset = end < 0 ? text.Length : end + 1;
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
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

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_\-]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyUse();

    [GeneratedRegex(@"\$\(\[MSBuild\]::GetPathOfFileAbove\(\s*'?([^',)]+?)'?\s*(?:,\s*'?([^')]*?)'?\s*)?\)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GetPathOfFileAbove();

    [GeneratedRegex(@"\$\(\[MSBuild\]::GetDirectoryNameOfFileAbove\(\s*'?([^',]+?)'?\s*,\s*'?([^')]+?)'?\s*\)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GetDirectoryNameOfFileAbove();

    /// <summary>Imports of the SDK's, MSBuild's, Visual Studio's or a restored package's own files.</summary>
    [GeneratedRegex(@"^\$\((MSBuildToolsPath(32|64)?|MSBuildExtensionsPath(32|64)?|MSBuildBinPath|MSBuildSDKsPath|MSBuildFrameworkToolsPath|MSBuildUserExtensionsPath|VSToolsPath|NuGetPackageRoot|MSBuildProjectExtensionsPath|BaseIntermediateOutputPath|IntermediateOutputPath|NetCoreRoot|NetCoreTargetingPackRoot|CustomBeforeMicrosoftCommon(Props|Targets)|CustomAfterMicrosoftCommon(Props|Targets))\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ToolsetImport();

    [GeneratedRegex(@"\[\s*([^\[\],;\s]+)\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex ExactVersion();

    [GeneratedRegex(@"^\s*#:(package|sdk)\s+([^\s@]+)(?:@(\S*))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Directive();
}
