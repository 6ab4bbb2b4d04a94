using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Workspace;

public sealed class GitRepositoryTests : IDisposable
{
    private readonly TempGitRepo _repo = new();
    private readonly string _worktree = Path.Combine(Path.GetTempPath(), "loops-wt-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _repo.Dispose();
        if (Directory.Exists(_worktree))
        {
            Directory.Delete(_worktree, recursive: true);
        }
    }

    [Fact]
    public async Task Discover_WhenNotARepository_ReportsNotAGitRepo()
    {
        var folder = Directory.CreateTempSubdirectory("loops-plain-").FullName;
        try
        {
            var ex = await Should.ThrowAsync<LoopsException>(() => GitRepository.DiscoverAsync(folder, new ProcessRunner()));

            ex.ExitCode.ShouldBe(ExitCodes.InvalidInput);
            ex.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.NotAGitRepo);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ResolveHead_RightAfterDiscovery_IsTheDiscoveredHead_AndLaterAsksGitAgain()
    {
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());
        var head = _repo.Git("rev-parse", "HEAD").Trim();

        (await git.ResolveHeadAsync()).ShouldBe(head);

        _repo.Write("moved.txt", "HEAD moves\n");
        var moved = _repo.Commit("moved");
        (await git.ResolveHeadAsync()).ShouldBe(moved);

        using var unborn = new TempGitRepo(initialCommit: false);
        var empty = await GitRepository.DiscoverAsync(unborn.Root, new ProcessRunner());
        empty.Root.ShouldBe(Path.GetFullPath(unborn.Root));
        (await empty.ResolveHeadAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task CommitTree_WithoutAConfiguredName_UsesTheNeutralOne_AndTheConfiguredEmail()
    {
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());
        var tree = _repo.Git("rev-parse", "HEAD^{tree}").Trim();
        var configured = await git.CommitTreeAsync(tree, [], "configured");
        _repo.Git("log", "-1", "--format=%an <%ae>", configured).Trim().ShouldBe("Dev <dev@example.com>");

        // An empty name counts as none (git refuses it): the commit is made with the neutral name instead of failing.
        _repo.Git("config", "user.name", "");
        var neutral = await git.CommitTreeAsync(tree, [], "neutral");

        _repo.Git("log", "-1", "--format=%an <%ae>|%cn", neutral).Trim().ShouldBe("ExecutionLoops <dev@example.com>|ExecutionLoops");
    }

    [Fact]
    public async Task Worktree_CommitOfToilChanges_LeavesUserTreeIndexAndHeadUntouched()
    {
        _repo.Write("gone.txt", "deleted by the toil\n");
        _repo.Commit("a file the toil deletes");
        _repo.Write("dirty.txt", "user's uncommitted work\n");
        _repo.Git("add", "dirty.txt");
        var head = _repo.Git("rev-parse", "HEAD").Trim();
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());

        await git.AddDetachedWorktreeAsync(_worktree, head);
        File.WriteAllText(Path.Combine(_worktree, "README.md"), "# changed\n");
        File.Delete(Path.Combine(_worktree, "gone.txt"));
        File.WriteAllText(Path.Combine(_worktree, "new.txt"), "new\n");
        Directory.CreateDirectory(Path.Combine(_worktree, "bin"));
        File.WriteAllText(Path.Combine(_worktree, "bin", "out.dll"), "binary");
        var changes = await git.DiffWorkingTreeAsync(_worktree, head);
        var commit = await git.CommitPathsAsync(_worktree, changes.Select(c => c.Path).ToList(), "chore: test\n\nMission-Id: m\n");
        await git.SetBranchAsync("loops/m", commit);

        changes.Select(c => c.Path).Order(StringComparer.Ordinal).ShouldBe(["README.md", "gone.txt", "new.txt"]);
        _repo.Git("rev-parse", "HEAD").Trim().ShouldBe(head);
        _repo.Git("symbolic-ref", "--short", "HEAD").Trim().ShouldBe("main");
        _repo.Git("diff", "--cached", "--name-only").Trim().ShouldBe("dirty.txt");
        _repo.Read("README.md").ShouldBe("# sample\n");
        _repo.Git("rev-parse", "loops/m").Trim().ShouldBe(commit);
        _repo.Git("show", "--name-only", "--format=", commit).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ShouldBe(["README.md", "gone.txt", "new.txt"]);
    }

    [Fact]
    public async Task RemoveWorktree_WhenDirectoryDeletedByHand_PrunesRegistration()
    {
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());
        await git.AddDetachedWorktreeAsync(_worktree, "HEAD");
        Directory.Delete(_worktree, recursive: true);

        await git.AddDetachedWorktreeAsync(_worktree, "HEAD");

        File.Exists(Path.Combine(_worktree, "README.md")).ShouldBeTrue();
    }
}
