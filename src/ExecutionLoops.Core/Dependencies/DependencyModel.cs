namespace ExecutionLoops.Dependencies;

/// <summary>How a dependency is declared.</summary>
public enum DependencyKind
{
    /// <summary><c>&lt;PackageReference Include Version&gt;</c> in a project or an imported props/targets file.</summary>
    PackageReference,

    /// <summary><c>&lt;PackageVersion&gt;</c> in Directory.Packages.props (central package management).</summary>
    CentralVersion,

    /// <summary><c>VersionOverride</c> on a project's PackageReference under central package management.</summary>
    VersionOverride,

    /// <summary><c>&lt;GlobalPackageReference&gt;</c> in Directory.Packages.props.</summary>
    GlobalPackageReference,

    /// <summary>An MSBuild project SDK: <c>msbuild-sdks</c> in global.json or <c>Sdk="Name/Version"</c>.</summary>
    MSBuildSdk,

    /// <summary>A local dotnet tool in .config/dotnet-tools.json.</summary>
    DotnetTool,

    /// <summary>The .NET SDK pinned in global.json (not a NuGet package; reported, never bumped).</summary>
    DotnetSdk,

    /// <summary><c>&lt;PackageDownload Include Version="[1.2.3]"&gt;</c>: each exact version in the list is a site.</summary>
    PackageDownload,
}

/// <summary>
/// The one place a version is written: an attribute value, an element's text or a JSON string. Several
/// projects may share a site (a central version, a property in Directory.Build.props).
/// </summary>
/// <param name="File">Repo-relative path with forward slashes.</param>
/// <param name="Line">1-based line of the version text.</param>
/// <param name="Column">1-based column of the version text.</param>
/// <param name="Offset">Character offset of the version text in the file (after any byte-order mark).</param>
/// <param name="Text">The version text exactly as written there.</param>
/// <param name="Property">The MSBuild property holding the version, when the reference used <c>$(Name)</c>.</param>
public sealed record VersionSite(string File, int Line, int Column, int Offset, string Text, string? Property = null)
{
    /// <summary><c>file(line,col)</c>, for messages.</summary>
    public string Location => $"{File}({Line},{Column})";

    /// <summary>The MSBuild condition the site is under (its own and its group's), as written; null when unconditioned.</summary>
    public string? Condition { get; init; }
}

/// <summary>One declared dependency: a package, where its version is written and who uses it.</summary>
/// <param name="PackageId">The package (or SDK) id as written.</param>
/// <param name="Kind">How it is declared.</param>
/// <param name="Site">Where its version is written.</param>
/// <param name="Projects">Repo-relative paths of the projects affected by the site, sorted.</param>
/// <param name="LockedVersion">The version a packages.lock.json resolved it to, for floating versions.</param>
public sealed record Dependency(string PackageId, DependencyKind Kind, VersionSite Site, IReadOnlyList<string> Projects, string? LockedVersion = null);
