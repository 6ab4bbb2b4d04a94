using System.IO.Compression;
using NuGet.Versioning;

namespace ExecutionLoops.Dependencies.Feeds;

/// <summary>
/// A folder of packages, in either layout NuGet accepts: hierarchical (<c>id/version/id.version.nupkg</c>, as
/// <c>nuget add</c> writes) or flat (<c>id.version.nupkg</c>). Everything in a folder is listed; the
/// publish date is the package file's time.
/// </summary>
internal sealed class LocalFolderFeed(string name, string folder) : IPackageFeed
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public Task<IReadOnlyList<NuGetVersion>?> VersionsAsync(string id, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new FeedException(name, $"The package folder '{folder}' does not exist; check the source in nuget.config.", unreachable: true);
        }

        var versions = Packages(id).Select(p => p.Version).Distinct().ToList();
        return Task.FromResult<IReadOnlyList<NuGetVersion>?>(versions.Count == 0 ? null : versions);
    }

    /// <inheritdoc />
    public Task<PackageDetails> DetailsAsync(string id, NuGetVersion version, bool withReleaseInfo, CancellationToken cancellationToken)
    {
        var file = Packages(id).FirstOrDefault(p => p.Version == version).Path;
        if (file is null)
        {
            return Task.FromResult(PackageDetails.Unknown);
        }

        var details = new PackageDetails(true, File.GetLastWriteTimeUtc(file), null, null);
        if (!withReleaseInfo)
        {
            return Task.FromResult(details);
        }

        try
        {
            using var zip = ZipFile.OpenRead(file);
            var entry = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                return Task.FromResult(details);
            }

            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return Task.FromResult(HttpV3Feed.Nuspec.Merge(details, buffer.ToArray()));
        }
        catch (InvalidDataException)
        {
            return Task.FromResult(details);
        }
    }

    /// <summary>A folder has no vulnerability data.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?> AdvisoriesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<Advisory>>?>(null);

    private IEnumerable<(NuGetVersion Version, string Path)> Packages(string id)
    {
        var lower = id.ToLowerInvariant();
        var hierarchical = Directory.EnumerateDirectories(folder).FirstOrDefault(d => Path.GetFileName(d).Equals(id, StringComparison.OrdinalIgnoreCase));
        if (hierarchical is not null)
        {
            foreach (var directory in Directory.EnumerateDirectories(hierarchical))
            {
                if (NuGetVersion.TryParse(Path.GetFileName(directory), out var version) && Directory.EnumerateFiles(directory, "*.nupkg").FirstOrDefault() is { } package)
                {
                    yield return (version, package);
                }
            }
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.nupkg"))
        {
            var fileName = Path.GetFileNameWithoutExtension(file);
            if (fileName.Length > lower.Length + 1 && fileName.StartsWith(lower + ".", StringComparison.OrdinalIgnoreCase) && NuGetVersion.TryParse(fileName[(lower.Length + 1)..], out var version))
            {
                yield return (version, file);
            }
        }
    }
}
