using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Agents;

/// <summary>
/// What an agent may touch: files inside the worktree, in the mission scope, not protected unless the brief names
/// them, never through a symlink that leads outside, never a project file deleted. The chat agent's tools ask
/// before every access; after every attempt, whatever the backend, <see cref="EnforceAsync"/> reverts anything
/// that broke the rules (and a change over the diff limits) and names each path.
/// </summary>
public sealed class AgentSandbox(string worktree, MissionBrief brief, LoopsConfig config)
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj", ".sln", ".slnx"];
    private readonly string _root = Path.GetFullPath(worktree);
    private readonly ScopeMatcher _scope = new(brief.Scope);

    /// <summary>The worktree.</summary>
    public string Root => _root;

    /// <summary>Resolves a path the agent named; returns the full path, or why it is refused.</summary>
    public (string? FullPath, string? Refusal) Resolve(string path, bool write)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, "the path is empty");
        }

        var normalized = path.Replace('\\', '/').Trim();
        if (Path.IsPathRooted(normalized) || normalized.StartsWith('~'))
        {
            return (null, $"'{path}' is absolute; use a path relative to the repository root");
        }

        var full = Path.GetFullPath(Path.Combine(_root, normalized));
        if (!IsInside(full))
        {
            return (null, $"'{path}' is outside the repository");
        }

        var relative = Relative(full);
        if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal))
        {
            return (null, "the .git folder is not part of the work");
        }

        if (LeavesWorktree(full))
        {
            return (null, $"'{relative}' goes through a symlink that leads outside the repository");
        }

        if (write && WriteRefusal(relative) is { } refusal)
        {
            return (null, refusal);
        }

        return (full, null);
    }

    /// <summary>Why the mission may not change <paramref name="relative"/>, or null when it may.</summary>
    public string? WriteRefusal(string relative)
    {
        if (!_scope.IsInScope(relative))
        {
            return $"'{relative}' is outside the mission scope ({string.Join(", ", brief.Scope.Include)})";
        }

        return ProtectedPaths.Violations([relative], brief, config).Count > 0
            ? $"'{relative}' is protected; the brief must name it in scope.include"
            : null;
    }

    /// <summary>
    /// Reverts every change of the attempt that breaks the rules and returns one EL5010 diagnostic per path.
    /// A change over the diff limits is reverted as a whole.
    /// </summary>
    public async Task<IReadOnlyList<Diagnostic>> EnforceAsync(GitRepository git, string baseCommit, CancellationToken cancellationToken)
    {
        var violations = new List<Diagnostic>();
        var changes = await git.DiffWorkingTreeAsync(_root, baseCommit, cancellationToken);
        foreach (var change in changes)
        {
            var full = Path.Combine(_root, change.Path);
            var reason = LeavesWorktree(full) ? $"'{change.Path}' is a symlink that leads outside the repository"
                : !File.Exists(full) && !Directory.Exists(full) && ProjectExtensions.Contains(Path.GetExtension(change.Path), StringComparer.OrdinalIgnoreCase) && !brief.Scope.Include.Contains(change.Path) ? $"'{change.Path}' (a project or solution) was deleted"
                : WriteRefusal(change.Path);
            if (reason is null)
            {
                continue;
            }

            await RevertAsync(git, baseCommit, change.Path, cancellationToken);
            violations.Add(Diagnostic.Error(DiagnosticCodes.SandboxViolation, $"Sandbox: {reason}; the change was reverted.", change.Path, hint: "Widen scope.include or name the file in the brief if the change is intended."));
        }

        var remaining = violations.Count == 0 ? changes : await git.DiffWorkingTreeAsync(_root, baseCommit, cancellationToken);
        if (!brief.Constraints.AllowBinary && remaining.Where(c => c.Binary).ToList() is { Count: > 0 } binaries)
        {
            foreach (var binary in binaries)
            {
                await RevertAsync(git, baseCommit, binary.Path, cancellationToken);
                violations.Add(Diagnostic.Error(DiagnosticCodes.SandboxViolation, $"Sandbox: '{binary.Path}' is a binary file and the brief does not allow binaries; the change was reverted.", binary.Path, hint: "Set constraints.allow-binary: true if the mission may add binary files."));
            }

            remaining = await git.DiffWorkingTreeAsync(_root, baseCommit, cancellationToken);
        }

        var lines = remaining.Sum(c => c.Insertions + c.Deletions);
        var bytes = (await ChangeBytes.MeasureAsync(git.Processes, _root, baseCommit, remaining, cancellationToken)).Values.Sum();
        var maxBytes = brief.Constraints.MaxBytes ?? ByteSize.DefaultLimit;
        var overFiles = brief.Constraints.MaxFiles is { } maxFiles && remaining.Count > maxFiles;
        var overLines = brief.Constraints.MaxLines is { } maxLines && lines > maxLines;
        var overBytes = bytes > maxBytes;
        if (overFiles || overLines || overBytes)
        {
            foreach (var change in remaining)
            {
                await RevertAsync(git, baseCommit, change.Path, cancellationToken);
            }

            var limit = overFiles ? $"{remaining.Count} files (max-files {brief.Constraints.MaxFiles})"
                : overLines ? $"{lines} lines (max-lines {brief.Constraints.MaxLines})"
                : $"{ByteSize.Format(bytes)} added (max-bytes {ByteSize.Format(maxBytes)})";
            violations.Add(Diagnostic.Error(DiagnosticCodes.SandboxViolation, $"Sandbox: the change is over the diff limits with {limit}: {string.Join(", ", remaining.Take(10).Select(c => c.Path))}; every change was reverted.", remaining[0].Path, hint: "Make the change smaller, or raise the constraints."));
        }

        return violations;
    }

    private async Task RevertAsync(GitRepository git, string baseCommit, string path, CancellationToken cancellationToken)
    {
        var exists = (await git.RunAsync(["cat-file", "-e", $"{baseCommit}:{path}"], _root, cancellationToken)).Succeeded;
        if (exists)
        {
            var full = Path.Combine(_root, path);
            if (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReparsePoint))
            {
                File.Delete(full);
            }

            await git.RunCheckedAsync(["checkout", baseCommit, "--", path], _root, cancellationToken);
            await git.RunAsync(["reset", "-q", "--", path], _root, cancellationToken);
        }
        else
        {
            await git.RunAsync(["rm", "-q", "--cached", "--ignore-unmatch", "--", path], _root, cancellationToken);
            var full = Path.Combine(_root, path);
            if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
            {
                File.Delete(full);
            }
        }
    }

    /// <summary>True when the path, or a folder on the way to it, is a symlink whose target is outside the worktree.</summary>
    private bool LeavesWorktree(string full)
    {
        for (var current = full; current is not null && current.Length > _root.Length; current = Path.GetDirectoryName(current))
        {
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, info.LinkTarget));
                if (!IsInside(target))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsInside(string full) => full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string Relative(string full) => Path.GetRelativePath(_root, full).Replace('\\', '/');
}
