using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Workspace;

public sealed class ChangeFingerprintTests
{
    [Fact]
    public async Task Differences_NameRewrittenAddedAndDeletedPaths_AndIgnoreBuildOutputAndTouchedButEqualFiles()
    {
        using var repo = new TempGitRepo();
        repo.Write("src/A.cs", "class A {}\n");
        repo.Write("src/B.cs", "class B {}\n");
        repo.Write("src/C.cs", "class C {}\n");
        var baseCommit = repo.Commit("base");
        var git = await GitRepository.DiscoverAsync(repo.Root, new ProcessRunner(), CancellationToken.None);
        repo.Write("src/A.cs", "class A { int x; }\n");
        repo.Write("src/New.cs", "class New {}\n");
        var before = await ChangeFingerprint.TakeAsync(git, repo.Root, baseCommit, CancellationToken.None);

        repo.Write("src/A.cs", "class A { int x; } // planted\n");
        File.Delete(repo.Path("src/New.cs"));
        repo.Write("src/C.cs", "class C {}\n");
        repo.Write("src/B.cs", "class B { }\n");
        repo.Write("src/bin/Debug/out.dll", "binary");
        var after = await ChangeFingerprint.TakeAsync(git, repo.Root, baseCommit, CancellationToken.None);

        before.Differences(after).ShouldBe(["src/A.cs", "src/B.cs", "src/New.cs"]);
        after.Differences(await ChangeFingerprint.TakeAsync(git, repo.Root, baseCommit, CancellationToken.None)).ShouldBeEmpty();
    }
}
