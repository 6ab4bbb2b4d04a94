using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Workspace;

/// <summary>Snapshots through a private index kept between calls (a pair session's): the same trees as a throwaway index, the user's index untouched.</summary>
public sealed class KeptIndexSnapshotTests : IDisposable
{
    private readonly TempGitRepo _repo = new();
    private readonly string _state = Directory.CreateTempSubdirectory("loops-kept-index-").FullName;

    private string KeptIndex => Path.Combine(_state, "session", "index");

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Take_WithAKeptIndex_SeesEditsUntrackedAndDeletedFilesAndRespectsGitignore_AndLeavesTheUserIndexByteForByte()
    {
        _repo.Write(".gitignore", "*.log\n");
        _repo.Write("keep.txt", "one\n");
        _repo.Write("gone.txt", "here\n");
        _repo.Commit("base");
        _repo.Write("staged.txt", "staged by the user\n");
        _repo.Git("add", "staged.txt");
        var userIndex = await File.ReadAllBytesAsync(_repo.Path(".git/index"));
        var snapshots = await SnapshotsAsync();

        var first = await snapshots.TakeAsync("refs/loops/pair/s/1", "one", CancellationToken.None, KeptIndex);
        _repo.Write("keep.txt", "two\n");
        _repo.Write("fresh.txt", "untracked\n");
        _repo.Write("noise.log", "ignored\n");
        File.Delete(_repo.Path("gone.txt"));
        var second = await snapshots.TakeAsync("refs/loops/pair/s/2", "two", CancellationToken.None, KeptIndex);

        File.Exists(KeptIndex).ShouldBeTrue();
        Files(first).ShouldBe([".gitignore", "README.md", "gone.txt", "keep.txt", "staged.txt"]);
        Files(second).ShouldBe([".gitignore", "README.md", "fresh.txt", "keep.txt", "staged.txt"]);
        _repo.Git("show", $"{second}:keep.txt").ShouldBe("two\n");
        (await File.ReadAllBytesAsync(_repo.Path(".git/index"))).ShouldBe(userIndex);
    }

    [Fact]
    public async Task Take_WithAKeptIndex_GivesTheTreeAThrowawayIndexGives_AfterARewindAndAfterHeadMoved()
    {
        var snapshots = await SnapshotsAsync();
        _repo.Write("a.txt", "first\n");
        var first = await snapshots.TakeAsync("refs/loops/pair/s/1", "one", CancellationToken.None, KeptIndex);
        _repo.Write("a.txt", "second\n");
        _repo.Write("b.txt", "added later\n");
        var second = await snapshots.TakeAsync("refs/loops/pair/s/2", "two", CancellationToken.None, KeptIndex);

        await snapshots.RestoreAsync(first, second, CancellationToken.None);
        var afterRewind = await snapshots.TakeAsync("refs/loops/pair/s/3", "three", CancellationToken.None, KeptIndex);

        Tree(afterRewind).ShouldBe(Tree(first));
        Tree(afterRewind).ShouldBe(Tree(await snapshots.TakeAsync("refs/loops/test/throwaway", "t", CancellationToken.None)));

        // The user commits a file the .gitignore matches (forced): HEAD moved, and the kept index follows it.
        _repo.Write(".gitignore", "*.log\n");
        _repo.Write("forced.log", "tracked anyway\n");
        _repo.Git("add", ".gitignore");
        _repo.Git("add", "--force", "forced.log");
        _repo.Commit("forced");
        var afterCommit = await snapshots.TakeAsync("refs/loops/pair/s/4", "four", CancellationToken.None, KeptIndex);

        Files(afterCommit).ShouldContain("forced.log");
        Tree(afterCommit).ShouldBe(Tree(await snapshots.TakeAsync("refs/loops/test/throwaway", "t", CancellationToken.None)));
    }

    [Fact]
    public async Task Take_WhileAnotherProcessHoldsTheKeptIndex_FallsBackToAThrowawayIndex()
    {
        var snapshots = await SnapshotsAsync();
        await snapshots.TakeAsync("refs/loops/pair/s/1", "one", CancellationToken.None, KeptIndex);
        await File.WriteAllTextAsync(KeptIndex + ".lock", "");
        _repo.Write("c.txt", "during a watch run\n");

        var commit = await snapshots.TakeAsync("refs/loops/pair/s/2", "two", CancellationToken.None, KeptIndex);

        _repo.Git("show", $"{commit}:c.txt").ShouldBe("during a watch run\n");
        File.Exists(KeptIndex + ".lock").ShouldBeTrue();
    }

    [Fact]
    public async Task Snapshot_WithTreeAndHeadAsAnEarlierOneRecorded_ReusesIt_AndAnEditOrAMovedHeadMakesANewOne()
    {
        var snapshots = await SnapshotsAsync();
        _repo.Write("a.txt", "one\n");
        var first = await snapshots.SnapshotAsync("refs/loops/pair/s/1", "one", CancellationToken.None, KeptIndex);

        var same = await snapshots.SnapshotAsync("refs/loops/pair/s/2", "two", CancellationToken.None, KeptIndex, first);

        same.Reused.ShouldBeTrue();
        same.Commit.ShouldBe(first.Commit);
        RefExists("refs/loops/pair/s/2").ShouldBeFalse(); // no commit and no ref for a state already recorded

        _repo.Write("a.txt", "two\n");
        var edited = await snapshots.SnapshotAsync("refs/loops/pair/s/2", "two", CancellationToken.None, KeptIndex, first);
        edited.Reused.ShouldBeFalse();
        edited.Commit.ShouldNotBe(first.Commit);
        _repo.Git("rev-parse", "refs/loops/pair/s/2").Trim().ShouldBe(edited.Commit);

        // Committed as it is: the same files, but on another HEAD, so the snapshot's parent differs and it is new.
        var head = _repo.Commit("edited");
        var moved = await snapshots.SnapshotAsync("refs/loops/pair/s/3", "three", CancellationToken.None, KeptIndex, edited);
        moved.Reused.ShouldBeFalse();
        moved.Tree.ShouldBe(edited.Tree);
        moved.Head.ShouldBe(head);
        _repo.Git("rev-parse", $"{moved.Commit}^").Trim().ShouldBe(head);
    }

    private bool RefExists(string name) => _repo.Git("for-each-ref", name).Trim().Length > 0;

    private async Task<WorkingTreeSnapshot> SnapshotsAsync() => new(await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner()));

    private string[] Files(string commit) => _repo.Git("ls-tree", "-r", "--name-only", commit).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string Tree(string commit) => _repo.Git("rev-parse", $"{commit}^{{tree}}").Trim();
}
