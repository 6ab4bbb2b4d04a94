using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Analysis;

/// <summary>A method with lines no test runs.</summary>
/// <param name="File">Repo-relative source file.</param>
/// <param name="Line">Its first line.</param>
/// <param name="Member">Class and method.</param>
/// <param name="Covered">Lines run by tests.</param>
/// <param name="Lines">Lines in all.</param>
internal sealed record UncoveredMember(string File, int Line, string Member, int Covered, int Lines);

/// <summary>
/// Line coverage of a repository's code, read from the Cobertura files coverlet writes
/// (<c>dotnet test --collect:"XPlat Code Coverage"</c>), merged across test projects.
/// </summary>
/// <param name="Lines">Per repo-relative file, each instrumented line and whether a test ran it.</param>
/// <param name="Members">Methods with their covered and total lines.</param>
internal sealed record CoverageReport(IReadOnlyDictionary<string, IReadOnlyDictionary<int, bool>> Lines, IReadOnlyList<UncoveredMember> Members)
{
    /// <summary>Covered and total lines of the files in scope.</summary>
    public (int Covered, int Total) Count(ScopeMatcher scope)
    {
        var lines = Lines.Where(f => scope.IsInScope(f.Key)).SelectMany(f => f.Value.Values).ToList();
        return (lines.Count(covered => covered), lines.Count);
    }

    /// <summary>Line coverage of the files in scope, 0–100.</summary>
    public double Percent(ScopeMatcher scope) => Count(scope) is var (covered, total) && total > 0 ? 100.0 * covered / total : 100.0;

    /// <summary>The least-covered members in scope.</summary>
    public IReadOnlyList<UncoveredMember> Uncovered(ScopeMatcher scope, int limit) =>
        Members.Where(m => m.Covered < m.Lines && scope.IsInScope(m.File)).OrderBy(m => (double)m.Covered / m.Lines).ThenBy(m => m.File, StringComparer.Ordinal).ThenBy(m => m.Line).Take(limit).ToList();

    /// <summary>Runs the tests with coverage in <paramref name="root"/>; null when the tests fail or no test project collects coverage.</summary>
    public static async Task<(CoverageReport? Report, ProcessResult Result)> CollectAsync(ProcessRunner processes, string tempDirectory, string root, string solution, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(tempDirectory, $"loops-coverage-{Guid.NewGuid():N}")).FullName;
        try
        {
            var test = DotnetCli.Command(root, "test", solution, "--collect:XPlat Code Coverage", "--results-directory", folder, "-nologo") with { Timeout = timeout, OnOutputLine = log };
            log($"$ {test.Display}");
            var result = await processes.RunAsync(test, cancellationToken);
            var files = Directory.EnumerateFiles(folder, "coverage.cobertura.xml", SearchOption.AllDirectories).ToList();
            return (result.Succeeded && files.Count > 0 ? Read(files, root) : null, result);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Merges Cobertura files: a line is covered when any test project ran it.</summary>
    public static CoverageReport Read(IEnumerable<string> files, string root)
    {
        var lines = new Dictionary<string, Dictionary<int, bool>>(StringComparer.Ordinal);
        var members = new Dictionary<(string File, string Member), (int Line, HashSet<int> All, HashSet<int> Covered)>();
        foreach (var file in files)
        {
            var document = XDocument.Load(file);
            var sources = document.Descendants("source").Select(s => s.Value.Trim()).Where(s => s.Length > 0).ToList();
            foreach (var type in document.Descendants("class"))
            {
                var path = Relative(type.Attribute("filename")?.Value ?? "", sources, root);
                if (path is null)
                {
                    continue;
                }

                var fileLines = lines.TryGetValue(path, out var existing) ? existing : lines[path] = [];
                foreach (var line in type.Element("lines")?.Elements("line") ?? [])
                {
                    var number = int.Parse(line.Attribute("number")!.Value, CultureInfo.InvariantCulture);
                    fileLines[number] = fileLines.GetValueOrDefault(number) || Hits(line) > 0;
                }

                foreach (var method in type.Element("methods")?.Elements("method") ?? [])
                {
                    var methodLines = method.Element("lines")?.Elements("line").ToList() ?? [];
                    if (methodLines.Count == 0)
                    {
                        continue;
                    }

                    var key = (path, $"{ShortName(type.Attribute("name")?.Value ?? "")}.{method.Attribute("name")?.Value}");
                    var entry = members.TryGetValue(key, out var found) ? found : members[key] = (int.MaxValue, [], []);
                    foreach (var line in methodLines)
                    {
                        var number = int.Parse(line.Attribute("number")!.Value, CultureInfo.InvariantCulture);
                        entry.All.Add(number);
                        if (Hits(line) > 0)
                        {
                            entry.Covered.Add(number);
                        }
                    }

                    members[key] = (Math.Min(entry.Line, entry.All.Min()), entry.All, entry.Covered);
                }
            }
        }

        return new CoverageReport(
            lines.ToDictionary(l => l.Key, l => (IReadOnlyDictionary<int, bool>)l.Value, StringComparer.Ordinal),
            members.Select(m => new UncoveredMember(m.Key.File, m.Value.Line, m.Key.Member, m.Value.Covered.Count, m.Value.All.Count)).ToList());
    }

    /// <summary>The report as JSON (for the per-commit baseline cache).</summary>
    public string ToJson() => JsonSerializer.Serialize(new { Lines = Lines.ToDictionary(f => f.Key, f => f.Value.ToDictionary(l => l.Key.ToString(CultureInfo.InvariantCulture), l => l.Value)), Members });

    /// <summary>Reads <see cref="ToJson"/>.</summary>
    public static CoverageReport FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var lines = document.RootElement.GetProperty(nameof(Lines)).EnumerateObject().ToDictionary(
            f => f.Name,
            f => (IReadOnlyDictionary<int, bool>)f.Value.EnumerateObject().ToDictionary(l => int.Parse(l.Name, CultureInfo.InvariantCulture), l => l.Value.GetBoolean()),
            StringComparer.Ordinal);
        var members = document.RootElement.GetProperty(nameof(Members)).Deserialize<List<UncoveredMember>>() ?? [];
        return new CoverageReport(lines, members);
    }

    private static int Hits(XElement line) => int.TryParse(line.Attribute("hits")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hits) ? hits : 0;

    private static string ShortName(string name) => name.Contains('.', StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : name;

    private static string? Relative(string filename, List<string> sources, string root)
    {
        var full = Path.IsPathRooted(filename) ? filename : sources.Select(s => Path.Combine(s, filename)).FirstOrDefault(File.Exists) ?? Path.Combine(sources.FirstOrDefault() ?? root, filename);
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? null : relative;
    }
}
