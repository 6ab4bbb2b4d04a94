using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Dependencies;

/// <summary>A reference whose version cannot be updated in place, and why.</summary>
/// <param name="PackageId">The package.</param>
/// <param name="Project">The project (or file) that declares it.</param>
/// <param name="Current">The version as written (a property, a range), or null.</param>
/// <param name="Reason">Why it is left alone.</param>
public sealed record UnresolvedReference(string PackageId, string Project, string? Current, string Reason);

/// <summary>Everything a repository declares, read without a restore.</summary>
/// <param name="Projects">Repo-relative project paths.</param>
/// <param name="Dependencies">One entry per package and version site.</param>
/// <param name="Unresolved">References left alone, with the reason.</param>
/// <param name="LockFiles">Repo-relative paths of the projects that have a packages.lock.json.</param>
/// <param name="Diagnostics">Problems in the files (malformed XML or JSON, ambiguous properties).</param>
public sealed record DependencyInventory(
    IReadOnlyList<string> Projects,
    IReadOnlyList<Dependency> Dependencies,
    IReadOnlyList<UnresolvedReference> Unresolved,
    IReadOnlyList<string> LockFiles,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>How many files the discovery read (projects, props/targets, JSON files, file-based apps).</summary>
    public int FilesRead { get; init; }

    /// <summary>How many distinct imports could not be followed statically (each is an EL7011 warning).</summary>
    public int UnfollowedImports { get; init; }
}
