using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ExecutionLoops.Diagnostics;
using NuGet.Configuration;

namespace ExecutionLoops.Dependencies.Feeds;

/// <summary>
/// Reads the nuget.config hierarchy that applies to a folder (NuGet.Configuration: <c>&lt;clear/&gt;</c>,
/// disabled sources, credentials from the config or <c>NuGetPackageSourceCredentials_*</c> variables,
/// <c>%VAR%</c> expansion) and answers which sources to ask for a package under <c>packageSourceMapping</c>.
/// One feed object exists per source URL, so a package is looked up once however many projects use it.
/// </summary>
internal sealed partial class PackageSourceResolver(string repositoryRoot, FeedHttpClient http)
{
    private readonly Dictionary<string, ConfiguredSources> _byConfig = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfiguredSources> _byDirectory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPackageFeed> _feeds = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Diagnostic> _diagnostics = [];
    private static readonly string[] ConfigFileNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    /// <summary>Problems found in the nuget.config files (missing credentials, invalid files).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>The feeds to ask for a package, for a project (or file) in <paramref name="directory"/>.</summary>
    public IReadOnlyList<IPackageFeed> FeedsFor(string directory, string packageId)
    {
        var (feeds, mapping, _) = Load(directory);
        if (!mapping.IsEnabled)
        {
            return feeds;
        }

        var names = mapping.GetConfiguredPackageSources(packageId);
        return feeds.Where(f => names.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// Where vulnerability data comes from for a folder, as NuGet's audit does (.NET 9+): the
    /// <c>&lt;auditSources&gt;</c> of nuget.config when there are any (then only those), otherwise every enabled
    /// package source, whatever packageSourceMapping says.
    /// </summary>
    public (IReadOnlyList<IPackageFeed> Feeds, bool AuditSources) VulnerabilitySourcesFor(string directory)
    {
        var (feeds, _, audit) = Load(directory);
        return audit.Count > 0 ? (audit, true) : (feeds, false);
    }

    /// <summary>The sources of a folder; asked once per folder (a scan asks for every package of every project).</summary>
    private ConfiguredSources Load(string directory)
    {
        if (_byDirectory.TryGetValue(directory, out var known))
        {
            return known;
        }

        return _byDirectory[directory] = LoadConfig(directory);
    }

    private ConfiguredSources LoadConfig(string directory)
    {
        var configs = ConfigFilesAbove(directory);
        var key = string.Join('|', configs);
        if (_byConfig.TryGetValue(key, out var loaded))
        {
            return loaded;
        }

        ISettings settings;
        try
        {
            settings = Settings.LoadDefaultSettings(directory);
        }
        catch (NuGetConfigurationException ex)
        {
            _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FeedConfigInvalid, $"nuget.config cannot be read: {ex.Message}", configs.FirstOrDefault() is { } first ? Relative(first) : null, hint: "Fix the XML of the nuget.config file."));
            return _byConfig[key] = new([], PackageSourceMapping.GetPackageSourceMapping(NullSettings.Instance), []);
        }

        var provider = new PackageSourceProvider(settings);
        var feeds = Feeds(provider.LoadPackageSources().Where(s => s.IsEnabled), settings);
        var audit = Feeds(provider.LoadAuditSources(), settings);
        return _byConfig[key] = new(feeds, PackageSourceMapping.GetPackageSourceMapping(settings), audit);
    }

    private List<IPackageFeed> Feeds(IEnumerable<PackageSource> sources, ISettings settings)
    {
        var feeds = new List<IPackageFeed>();
        foreach (var source in sources)
        {
            if (_feeds.TryGetValue(source.Source, out var existing))
            {
                feeds.Add(existing);
                continue;
            }

            if (source.IsHttp)
            {
                if (MissingCredential(source, settings) is { } problem)
                {
                    _diagnostics.Add(problem);
                    continue;
                }

                feeds.Add(_feeds[source.Source] = new HttpV3Feed(source.Name, new Uri(source.Source), Authorization(source), http));
            }
            else if (source.IsLocal)
            {
                feeds.Add(_feeds[source.Source] = new LocalFolderFeed(source.Name, source.Source));
            }
        }

        return feeds;
    }

    /// <summary>A credential whose password still reads <c>%NAME%</c> names a variable that is not set.</summary>
    private Diagnostic? MissingCredential(PackageSource source, ISettings settings)
    {
        if (source.Credentials is not { } credentials || UnexpandedVariable().Match(credentials.Password ?? "") is not { Success: true } missing)
        {
            return null;
        }

        var (file, line, column) = CredentialLocation(settings, source.Name);
        return Diagnostic.Error(DiagnosticCodes.FeedCredentialMissing, $"The credential of source '{source.Name}' uses %{missing.Groups[1].Value}%, which is not set; the source was skipped.", file, line, column, $"Set the environment variable {missing.Groups[1].Value}, or NuGetPackageSourceCredentials_{source.Name}=\"Username=…;Password=…\".");
    }

    private (string? File, int Line, int Column) CredentialLocation(ISettings settings, string sourceName)
    {
        foreach (var path in settings.GetConfigFilePaths())
        {
            try
            {
                var document = XDocument.Load(path, LoadOptions.SetLineInfo);
                var element = document.Root?.Element("packageSourceCredentials")?.Elements().FirstOrDefault(e => XmlConvert.DecodeName(e.Name.LocalName) == sourceName);
                if (element is IXmlLineInfo info)
                {
                    return (Relative(path), info.LineNumber, info.LinePosition);
                }
            }
            catch (Exception ex) when (ex is IOException or XmlException)
            {
                continue;
            }
        }

        return (null, 0, 0);
    }

    private static AuthenticationHeaderValue? Authorization(PackageSource source) =>
        source.Credentials is { } c && (c.Username is { Length: > 0 } || c.Password is { Length: > 0 })
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}")))
            : null;

    private static List<string> ConfigFilesAbove(string directory)
    {
        var files = new List<string>();
        for (var current = Path.GetFullPath(directory); current is not null; current = Path.GetDirectoryName(current))
        {
            files.AddRange(ConfigFileNames.Select(n => Path.Combine(current, n)).Where(File.Exists));
        }

        return files;
    }

    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(repositoryRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    private sealed record ConfiguredSources(IReadOnlyList<IPackageFeed> Feeds, PackageSourceMapping Mapping, IReadOnlyList<IPackageFeed> Audit);

    [GeneratedRegex("%([A-Za-z_][A-Za-z0-9_]*)%", RegexOptions.CultureInvariant)]
    private static partial Regex UnexpandedVariable();
}
