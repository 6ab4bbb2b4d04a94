using ExecutionLoops.Diagnostics;
using Microsoft.Extensions.FileSystemGlobbing;

namespace ExecutionLoops.Briefs;

/// <summary>Finds, parses and lints every brief of a repository, including the rules that span files (duplicate ids).</summary>
internal static class MissionCatalog
{
    /// <summary>
    /// Loads the briefs matching the config's globs, or the given files and folders (every *.md below a folder).
    /// </summary>
    public static CatalogLoadResult Load(string repositoryRoot, LoopsConfig config, BriefVocabulary vocabulary, IReadOnlyList<string>? paths = null)
    {
        var diagnostics = new List<Diagnostic>();
        var files = paths is null ? FromGlobs(repositoryRoot, config.Missions) : FromPaths(repositoryRoot, paths, diagnostics);
        if (files.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NoBriefs, $"No mission briefs found ({string.Join(", ", config.Missions)}).", hint: "Create one with 'loops init', or set 'missions:' in .loops/config.yml."));
        }

        var briefs = new List<MissionBrief>();
        var firstById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/');
            var result = BriefParser.Parse(File.ReadAllText(file), file, relative, vocabulary, config.Gates);
            diagnostics.AddRange(result.Diagnostics);
            if (result.Brief is not { } brief)
            {
                continue;
            }

            // The kind's own rules that need the config too (an agent kind checks its resolved agent settings).
            var kindProblems = brief.Loop == MissionLoop.Delegate ? vocabulary.Kind(brief.Kind)?.Validate(brief, config).ToList() ?? [] : [];
            diagnostics.AddRange(kindProblems);
            if (kindProblems.Any(d => d.IsError))
            {
                continue;
            }

            foreach (var mission in vocabulary.Kind(brief.Kind)?.Expand(brief) ?? [brief])
            {
                if (mission.Id.Length > BriefParser.MaxIdLength)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidId, $"Group mission id '{mission.Id[..20]}…' has {mission.Id.Length} characters; at most {BriefParser.MaxIdLength} are allowed.", relative, 1, 1, "Shorten the brief's id or the group's name."));
                    continue;
                }

                if (firstById.TryGetValue(mission.Id, out var first))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateId, $"Duplicate mission id '{mission.Id}': {first} already uses it.", relative, 1, 1, "Give one of them a different 'id:' (ids default to the file name)."));
                    continue;
                }

                firstById[mission.Id] = relative;
                briefs.Add(mission);
            }
        }

        briefs.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new CatalogLoadResult(briefs, diagnostics);
    }

    private static List<string> FromGlobs(string root, IReadOnlyList<string> globs)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(globs);
        return matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal).ToList();
    }

    private static List<string> FromPaths(string root, IReadOnlyList<string> paths, List<Diagnostic> diagnostics)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(Path.Combine(root, path));
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                files.AddRange(Directory.EnumerateFiles(full, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoBriefs, $"'{path}' does not exist.", hint: "Pass brief files or folders that exist, or no path to lint every brief."));
            }
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }
}
