using System.Globalization;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Workspace;

/// <summary>
/// A git repository driven through the git CLI (the same git the user has, with their config,
/// hooks disabled for our own commits). Every method can run against the main working tree or a
/// worktree directory.
/// </summary>
public sealed class GitRepository
{
    private static readonly IReadOnlyDictionary<string, string?> GitEnvironment = new Dictionary<string, string?>
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["LC_ALL"] = "C",
        ["GIT_OPTIONAL_LOCKS"] = "0",
    };

    /// <summary>
    /// Every git call of the engine ignores hooks and fsmonitor commands, wherever they were configured: a hook
    /// planted in a repository (by an agent, or anyone) must never run on our own commits, update-refs or status.
    /// </summary>
    private static readonly string[] HardeningOptions = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

    /// <summary>What git needs of this process's environment besides the allowlist (its own settings, an SSH agent).</summary>
    private static readonly string[] GitVariables = ["GIT_*", "SSH_AUTH_SOCK"];

    /// <summary>Everything except build outputs, which never belong in a mission's change.</summary>
    private static readonly string[] SourcePathspec = [".", ":(exclude,glob)**/bin/**", ":(exclude,glob)**/obj/**"];

    private readonly ProcessRunner _processes;

    private GitRepository(string root, string commonDirectory, ProcessRunner processes)
    {
        Root = root;
        CommonDirectory = commonDirectory;
        _processes = processes;
    }

    /// <summary>Starts git (and anything else the caller runs beside it) outside any sandbox.</summary>
    public ProcessRunner Processes => _processes;

    /// <summary>The top of the main working tree.</summary>
    public string Root { get; }

    /// <summary>The shared .git directory (also for worktrees).</summary>
    public string CommonDirectory { get; }

    /// <summary>Finds the repository containing <paramref name="path"/>.</summary>
    /// <exception cref="LoopsException">EL2001 when it is not a git repository, EL2005 when git is missing.</exception>
    public static async Task<GitRepository> DiscoverAsync(string path, ProcessRunner processes, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(path))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.NotAGitRepo, $"'{path}' does not exist.", "Pass --repo with the path of a git repository.");
        }

        // One git call answers three questions: the top, the common directory and HEAD's commit (the snapshot of the same
        // call needs it). An unborn HEAD makes --verify exit 1 after the first two lines; outside a repository git prints none.
        var result = await RunGitAsync(processes, new GitInvocation(path, ["rev-parse", "--show-toplevel", "--git-common-dir", "--verify", "--quiet", "HEAD^{commit}"]), cancellationToken);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (result.ExitCode is not (0 or 1) || lines.Length < 2)
        {
            throw LoopsException.InvalidInput(
                DiagnosticCodes.NotAGitRepo,
                $"'{Path.GetFullPath(path)}' is not inside a git repository.",
                "Run loops inside a git repository, or create one with 'git init' and commit your code.");
        }

        var root = Path.GetFullPath(lines[0]);
        var common = Path.GetFullPath(Path.IsPathRooted(lines[1]) ? lines[1] : Path.Combine(path, lines[1]));
        return new GitRepository(root, common, processes)
        {
            _discoveredHead = new DiscoveredHead(result.ExitCode == 0 && lines.Length > 2 ? lines[2] : null, System.Diagnostics.Stopwatch.GetTimestamp()),
        };
    }

    /// <summary>How long HEAD as read by the discovery stands for HEAD: the call that opened the repository, not a later one.</summary>
    private static readonly TimeSpan DiscoveredHeadFresh = TimeSpan.FromSeconds(2);

    /// <summary>HEAD as the discovery read it, until <see cref="ResolveHeadAsync"/> takes it.</summary>
    private DiscoveredHead? _discoveredHead;

    /// <summary>
    /// HEAD's commit, or null when HEAD is unborn. The first call within moments of <see cref="DiscoverAsync"/> answers
    /// from the discovery's own rev-parse (a pair call opens the repository and snapshots it at once: one git process
    /// fewer); every later call, and any call on a repository opened long ago (a watch, a server), asks git.
    /// </summary>
    public async Task<string?> ResolveHeadAsync(CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _discoveredHead, null) is { } discovered && System.Diagnostics.Stopwatch.GetElapsedTime(discovered.At) < DiscoveredHeadFresh
            ? discovered.Commit
            : await ResolveCommitAsync("HEAD", null, cancellationToken);

    private sealed record DiscoveredHead(string? Commit, long At);

    /// <summary>Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/> (default: the root).</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        RunGitAsync(_processes, new GitInvocation(workingDirectory ?? Root, arguments), cancellationToken);

    /// <summary>Runs git and throws an EL2004 infrastructure error when it fails; returns stdout.</summary>
    public Task<string> RunCheckedAsync(IReadOnlyList<string> arguments, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(new GitInvocation(workingDirectory ?? Root, arguments), cancellationToken);

    /// <summary>
    /// Runs git with extra environment variables (e.g. <c>GIT_CONFIG_*</c> carrying an auth header, which keeps
    /// secrets off the command line, out of URLs and out of the repository config).
    /// </summary>
    public Task<ProcessResult> RunWithEnvironmentAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default) =>
        RunGitAsync(_processes, new GitInvocation(Root, arguments, environment), cancellationToken);

    /// <summary>Runs git against a private index file instead of the repository's index (snapshots never touch the user's staging area).</summary>
    public Task<string> RunWithIndexAsync(string indexFile, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        RunWithIndexAsync(indexFile, arguments, null, cancellationToken);

    /// <summary>Runs git against a private index file with <paramref name="standardInput"/>.</summary>
    public Task<string> RunWithIndexAsync(string indexFile, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken) =>
        RunCheckedAsync(new GitInvocation(Root, arguments, new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = indexFile }, standardInput), cancellationToken);

    /// <summary>Resolves a revision to a commit id, or null when it does not exist.</summary>
    public async Task<string?> ResolveCommitAsync(string revision, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["rev-parse", "--verify", "--quiet", $"{revision}^{{commit}}"], workingDirectory, cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>The checked-out branch of the main working tree, or null when HEAD is detached or unborn.</summary>
    public async Task<string?> CurrentBranchAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["symbolic-ref", "--quiet", "--short", "HEAD"], null, cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>The working tree (main or linked) that has <paramref name="branch"/> checked out, or null.</summary>
    public async Task<string?> WorktreeWithBranchAsync(string branch, CancellationToken cancellationToken = default)
    {
        string? path = null;
        foreach (var line in (await RunCheckedAsync(["worktree", "list", "--porcelain"], null, cancellationToken)).Split('\n'))
        {
            if (line.StartsWith("worktree ", StringComparison.Ordinal))
            {
                path = line["worktree ".Length..].Trim();
            }
            else if (line.Trim() == $"branch refs/heads/{branch}")
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>True when the local branch exists.</summary>
    public async Task<bool> BranchExistsAsync(string branch, CancellationToken cancellationToken = default) =>
        (await RunAsync(["show-ref", "--verify", "--quiet", $"refs/heads/{branch}"], null, cancellationToken)).Succeeded;

    /// <summary>
    /// Creates (or re-creates) a worktree at <paramref name="path"/> with a detached HEAD at
    /// <paramref name="startPoint"/>. The main working tree, index, HEAD and every branch are untouched:
    /// the mission branch moves only when a change is committed, so a failed run never disturbs an open review item.
    /// </summary>
    public async Task AddDetachedWorktreeAsync(string path, string startPoint, CancellationToken cancellationToken = default)
    {
        await RemoveWorktreeAsync(path, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await RunCheckedAsync(["worktree", "add", "--force", "--detach", path, startPoint], null, cancellationToken);
    }

    /// <summary>Points a local branch at a commit, creating it if needed (the branch must not be checked out).</summary>
    public Task SetBranchAsync(string branch, string commit, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["update-ref", "-m", "loops: mission commit", $"refs/heads/{branch}", commit], null, cancellationToken);

    /// <summary>
    /// Deletes the untracked files and folders that git ignores in <paramref name="worktree"/> (build outputs, local
    /// settings files), so what remains is exactly the tracked tree plus the change.
    /// </summary>
    internal Task RemoveIgnoredFilesAsync(string worktree, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["clean", "-ffdqX"], worktree, cancellationToken);

    /// <summary>Removes a worktree (if registered or left on disk) and prunes stale registrations.</summary>
    public async Task RemoveWorktreeAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            await RunAsync(["worktree", "remove", "--force", "--force", path], null, cancellationToken);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        await RunAsync(["worktree", "prune"], null, cancellationToken);
    }

    /// <summary>Paths changed in a working tree compared with its HEAD, including untracked files.</summary>
    public async Task<IReadOnlyList<string>> ChangedPathsAsync(string workingDirectory, CancellationToken cancellationToken = default)
    {
        var output = await RunCheckedAsync(["status", "--porcelain=v1", "-z", "--untracked-files=all"], workingDirectory, cancellationToken);
        var entries = output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var paths = new List<string>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            paths.Add(entry[3..]);
            if (entry[0] is 'R' or 'C')
            {
                i++; // the rename source follows as its own entry
            }
        }

        return paths;
    }

    /// <summary>
    /// Per-file changes between a commit and the working tree of <paramref name="workingDirectory"/>,
    /// untracked files included and build outputs (bin/, obj/) excluded even where the repo does not ignore them.
    /// </summary>
    public async Task<IReadOnlyList<FileChange>> DiffWorkingTreeAsync(string workingDirectory, string fromCommit, CancellationToken cancellationToken = default)
    {
        // intent-to-add makes untracked files show up in the diff without staging their content.
        // --ignore-removal: a deletion must stay unstaged, or committing its path later would find nothing to match.
        await RunCheckedAsync(["add", "--intent-to-add", "--ignore-removal", "--", .. SourcePathspec], workingDirectory, cancellationToken);
        var output = await RunCheckedAsync(["diff", "--numstat", "-z", "--no-renames", fromCommit, "--", .. SourcePathspec], workingDirectory, cancellationToken);
        return ParseNumstat(output);
    }

    /// <summary>Per-file changes between two commits.</summary>
    public async Task<IReadOnlyList<FileChange>> DiffCommitsAsync(string fromCommit, string toCommit, CancellationToken cancellationToken = default)
    {
        var output = await RunCheckedAsync(["diff", "--numstat", "-z", "--no-renames", fromCommit, toCommit], null, cancellationToken);
        return ParseNumstat(output);
    }

    /// <summary>Stages exactly <paramref name="paths"/> in the worktree and commits them; returns the new commit id.</summary>
    public async Task<string> CommitPathsAsync(string workingDirectory, IReadOnlyList<string> paths, string message, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in paths.Chunk(200))
        {
            await RunCheckedAsync(["add", "--all", "--", .. chunk.Select(p => $":(literal){p}")], workingDirectory, cancellationToken);
        }

        var identity = await CommitIdentityAsync(workingDirectory, cancellationToken);
        await RunCheckedAsync(new GitInvocation(workingDirectory, ["commit", "--no-verify", "--quiet", "-F", "-"], identity, message), cancellationToken);
        return (await RunCheckedAsync(["rev-parse", "HEAD"], workingDirectory, cancellationToken)).Trim();
    }

    /// <summary>The full message of a commit.</summary>
    public async Task<string> CommitMessageAsync(string commit, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        await RunCheckedAsync(["log", "-1", "--format=%B", commit], workingDirectory, cancellationToken);

    /// <summary>
    /// Brings <paramref name="commit"/> and its objects over from the repository at <paramref name="source"/>
    /// (a mission's clone) without creating any ref or remote; the caller points a branch at it.
    /// </summary>
    public async Task FetchCommitAsync(string source, string commit, CancellationToken cancellationToken = default)
    {
        if (await ResolveCommitAsync(commit, null, cancellationToken) is not null)
        {
            return;
        }

        await RunCheckedAsync(["-c", "protocol.file.allow=always", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules", source, commit], null, cancellationToken);
    }

    /// <summary>Creates a commit object for <paramref name="tree"/> with the given parents without touching any working tree.</summary>
    public async Task<string> CommitTreeAsync(string tree, IReadOnlyList<string> parents, string message, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "commit-tree", tree };
        foreach (var parent in parents)
        {
            arguments.Add("-p");
            arguments.Add(parent);
        }

        // Asking git config for the identity first cost every snapshot a process. Instead the commit runs with
        // user.useConfigOnly, so git refuses (rather than guesses) an identity nobody configured, exactly when the neutral
        // one is needed; only then is the identity looked up and the commit made again.
        var first = await RunGitAsync(_processes, new GitInvocation(Root, ["-c", "user.useConfigOnly=true", .. arguments], null, message), cancellationToken);
        if (first.Succeeded)
        {
            return first.StandardOutput.Trim();
        }

        var identity = await CommitIdentityAsync(Root, cancellationToken);
        return (await RunCheckedAsync(new GitInvocation(Root, arguments, identity, message), cancellationToken)).Trim();
    }

    private async Task<string> RunCheckedAsync(GitInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await RunGitAsync(_processes, invocation, cancellationToken);
        if (!result.Succeeded)
        {
            throw LoopsException.Infrastructure(
                DiagnosticCodes.GitFailed,
                $"git {string.Join(' ', invocation.Arguments)} failed (exit {result.ExitCode}): {TextTail.Of(result.CombinedOutput.Trim(), 3)}",
                "Check the repository state with 'git status'; re-run with --verbose for details.");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Our commits use the user's configured identity; a machine without one (CI) gets a neutral
    /// ExecutionLoops identity rather than a failed commit.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string?>> CommitIdentityAsync(string workingDirectory, CancellationToken cancellationToken)
    {
        // One git call for both keys (a feedback call's checkpoint pays for every process it starts).
        var configured = await RunAsync(["config", "--get-regexp", @"^user\.(name|email)$"], workingDirectory, cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in configured.Succeeded ? configured.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [])
        {
            // The last value wins, as for 'git config <key>'; an empty one counts as none.
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[1].Trim().Length > 0)
            {
                values[parts[0]] = parts[1].Trim();
            }
            else
            {
                values.Remove(parts[0]);
            }
        }

        var identity = new Dictionary<string, string?>();
        if (!values.ContainsKey("user.email"))
        {
            identity["GIT_AUTHOR_EMAIL"] = identity["GIT_COMMITTER_EMAIL"] = "loops@localhost";
        }

        if (!values.ContainsKey("user.name"))
        {
            identity["GIT_AUTHOR_NAME"] = identity["GIT_COMMITTER_NAME"] = "ExecutionLoops";
        }

        return identity;
    }

    private static IReadOnlyList<FileChange> ParseNumstat(string output)
    {
        var changes = new List<FileChange>();
        foreach (var record in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = record.Split('\t', 3);
            if (parts.Length < 3)
            {
                continue;
            }

            _ = int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var added);
            _ = int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var removed);
            changes.Add(new FileChange(parts[2].Trim('\n'), added, removed, parts[0] == "-" && parts[1] == "-"));
        }

        return changes;
    }

    private static async Task<ProcessResult> RunGitAsync(ProcessRunner processes, GitInvocation invocation, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(GitEnvironment);
        foreach (var (key, value) in invocation.Environment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        try
        {
            var spec = new ProcessSpec("git", [.. HardeningOptions, .. invocation.Arguments], invocation.WorkingDirectory) { Environment = environment, StandardInput = invocation.StandardInput, Inherit = GitVariables };
            return await processes.RunAsync(spec, cancellationToken);
        }
        catch (ToolNotFoundException ex)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.GitMissing, "git is not installed or not on PATH.", "Install git and make sure 'git --version' works in this shell.", ex);
        }
    }

    private sealed record GitInvocation(
        string WorkingDirectory,
        IReadOnlyList<string> Arguments,
        IReadOnlyDictionary<string, string?>? Environment = null,
        string? StandardInput = null);
}
