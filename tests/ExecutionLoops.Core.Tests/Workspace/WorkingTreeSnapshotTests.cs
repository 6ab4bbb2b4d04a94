using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Workspace;

public sealed class WorkingTreeSnapshotTests : IDisposable
{
    private readonly TempGitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Take_RecordsUntrackedFilesWithoutTouchingIndexHeadOrStash()
    {
        _repo.Write("README.md", "# edited\n");
        _repo.Git("add", "README.md");
        _repo.Write("untracked.txt", "new\n");
        _repo.Write(".gitignore", "ignored.log\n");
        _repo.Write("ignored.log", "noise\n");
        var head = _repo.Git("rev-parse", "HEAD");
        var index = _repo.Git("diff", "--cached", "--name-only");
        var snapshots = new WorkingTreeSnapshot(await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner()));

        var commit = await snapshots.TakeAsync("refs/loops/pair/s/1", "checkpoint", CancellationToken.None);

        _repo.Git("rev-parse", "refs/loops/pair/s/1").Trim().ShouldBe(commit);
        _repo.Git("show", $"{commit}:untracked.txt").ShouldBe("new\n");
        _repo.Git("show", $"{commit}:README.md").ShouldBe("# edited\n");
        Should.Throw<InvalidOperationException>(() => _repo.Git("show", $"{commit}:ignored.log"));
        _repo.Git("rev-parse", "HEAD").ShouldBe(head);
        _repo.Git("diff", "--cached", "--name-only").ShouldBe(index);
        _repo.Git("stash", "list").ShouldBeEmpty();
    }

    [Fact]
    public async Task Restore_BringsBackContentAndRemovesFilesAddedSince()
    {
        var snapshots = new WorkingTreeSnapshot(await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner()));
        _repo.Write("a.txt", "first\n");
        var first = await snapshots.TakeAsync("refs/loops/test/1", "one", CancellationToken.None);
        _repo.Write("a.txt", "second\n");
        _repo.Write("b.txt", "added later\n");
        var now = await snapshots.TakeAsync("refs/loops/test/2", "two", CancellationToken.None);

        await snapshots.RestoreAsync(first, now, CancellationToken.None);

        _repo.Read("a.txt").ShouldBe("first\n");
        File.Exists(_repo.Path("b.txt")).ShouldBeFalse();

        await snapshots.RestoreAsync(now, first, CancellationToken.None);

        _repo.Read("a.txt").ShouldBe("second\n");
        _repo.Read("b.txt").ShouldBe("added later\n");
    }

    [Fact]
    public async Task Restore_RewritesOnlyTheFilesThatDiffer_AndBringsBackDeletedOnes()
    {
        var snapshots = new WorkingTreeSnapshot(await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner()));
        _repo.Write("same.txt", "unchanged\n");
        _repo.Write("changed.txt", "first\n");
        _repo.Write("deleted.txt", "here\n");
        var first = await snapshots.TakeAsync("refs/loops/test/1", "one", CancellationToken.None);
        _repo.Write("changed.txt", "second\n");
        File.Delete(_repo.Path("deleted.txt"));
        var untouched = DateTime.UtcNow.AddHours(-3);
        File.SetLastWriteTimeUtc(_repo.Path("same.txt"), untouched);
        var now = await snapshots.TakeAsync("refs/loops/test/2", "two", CancellationToken.None);

        await snapshots.RestoreAsync(first, now, CancellationToken.None);

        _repo.Read("changed.txt").ShouldBe("first\n");
        _repo.Read("deleted.txt").ShouldBe("here\n");
        File.GetLastWriteTimeUtc(_repo.Path("same.txt")).ShouldBe(untouched);
    }
}
