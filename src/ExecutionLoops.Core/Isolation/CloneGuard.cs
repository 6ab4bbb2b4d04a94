using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Isolation;

/// <summary>
/// The places in a clone's git directory where planted content would run code or change what the engine sees
/// later: config, hooks, info (attributes, excludes), object alternates, HEAD and every ref. Captured before an
/// attempt; afterwards any change is put back and named (EL5010). The sandbox makes <c>.git</c> read-only, so
/// this matters with <c>sandbox: none</c>; it is checked whatever the backend.
/// </summary>
internal sealed class CloneGuard
{
    private static readonly string[] WatchedFolders = ["hooks", "info", Path.Combine("objects", "info")];
    private static readonly string[] WatchedFiles = ["config", "HEAD", "packed-refs", "FETCH_HEAD", "ORIG_HEAD"];
    private readonly string _gitDirectory;
    private readonly Dictionary<string, byte[]> _files;
    private readonly Dictionary<string, string> _refs;

    private CloneGuard(string gitDirectory, Dictionary<string, byte[]> files, Dictionary<string, string> refs)
    {
        _gitDirectory = gitDirectory;
        _files = files;
        _refs = refs;
    }

    /// <summary>Records the watched files and the refs of the clone at <paramref name="root"/>.</summary>
    public static async Task<CloneGuard> CaptureAsync(GitRepository git, string root, CancellationToken cancellationToken)
    {
        var gitDirectory = Path.Combine(root, ".git");
        return new CloneGuard(gitDirectory, Files(gitDirectory), await RefsAsync(git, root, cancellationToken));
    }

    /// <summary>Puts every watched file and ref back as captured; returns one EL5010 per changed place.</summary>
    public async Task<IReadOnlyList<Diagnostic>> RestoreAsync(GitRepository git, string root, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        var now = Files(_gitDirectory);
        foreach (var (relative, content) in now)
        {
            if (!_files.TryGetValue(relative, out var before) || !before.AsSpan().SequenceEqual(content))
            {
                changed.Add(relative);
            }
        }

        changed.AddRange(_files.Keys.Where(relative => !now.ContainsKey(relative)));
        foreach (var relative in changed)
        {
            var full = Path.Combine(_gitDirectory, relative);
            if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
            {
                File.Delete(full);
            }

            if (_files.TryGetValue(relative, out var content))
            {
                await File.WriteAllBytesAsync(full, content, cancellationToken);
            }
        }

        var refsNow = await RefsAsync(git, root, cancellationToken);
        foreach (var (name, target) in refsNow.Where(r => !_refs.TryGetValue(r.Key, out var before) || before != r.Value))
        {
            changed.Add(name);
            await git.RunAsync(_refs.TryGetValue(name, out var before) ? ["update-ref", "--no-deref", name, before] : ["update-ref", "-d", name], root, cancellationToken);
        }

        foreach (var name in _refs.Keys.Where(name => !refsNow.ContainsKey(name)))
        {
            changed.Add(name);
            await git.RunAsync(["update-ref", "--no-deref", name, _refs[name]], root, cancellationToken);
        }

        return changed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(place => Diagnostic.Error(
            DiagnosticCodes.SandboxViolation,
            $"Sandbox: the agent changed the clone's git directory ('.git/{place.Replace('\\', '/')}'); it was put back.",
            $".git/{place.Replace('\\', '/')}",
            hint: "Agents must not write git hooks, config or refs; the engine commits and publishes.")).ToList();
    }

    private static Dictionary<string, byte[]> Files(string gitDirectory)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in WatchedFiles.Where(name => File.Exists(Path.Combine(gitDirectory, name))))
        {
            files[name] = File.ReadAllBytes(Path.Combine(gitDirectory, name));
        }

        foreach (var folder in WatchedFolders.Select(f => Path.Combine(gitDirectory, f)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                var info = new FileInfo(file);
                if (!info.Attributes.HasFlag(FileAttributes.Directory) || info.LinkTarget is not null)
                {
                    files[Path.GetRelativePath(gitDirectory, file)] = info.LinkTarget is { } target ? System.Text.Encoding.UTF8.GetBytes("symlink:" + target) : File.ReadAllBytes(file);
                }
            }
        }

        return files;
    }

    private static async Task<Dictionary<string, string>> RefsAsync(GitRepository git, string root, CancellationToken cancellationToken)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = await git.RunCheckedAsync(["for-each-ref", "--format=%(refname) %(objectname)"], root, cancellationToken);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            refs[parts[0]] = parts[1];
        }

        return refs;
    }
}
