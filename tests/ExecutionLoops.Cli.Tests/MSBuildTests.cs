using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>Real `dotnet build -t:…` against a project that references the packed ExecutionLoops.MSBuild package.</summary>
public sealed class MSBuildTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    private const string Code = "namespace App;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n";

    [Fact]
    public void PairTargets_StartNoteRewindAndEnd_ThroughDotnetBuild()
    {
        using var repo = new TempGitRepo();
        feed.WriteProject(repo.Root, Code);
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n");
        repo.Commit("app");

        var pair = Build(repo, "-t:Pair", "-p:Goal=Add subtraction", "-p:Timebox=45m", "-p:Criteria=\"build succeeds;no new warnings\"");
        pair.ExitCode.ShouldBe(0, pair.Output);
        pair.Output.ShouldContain("Started pair session");
        pair.Output.ShouldContain("✓ build succeeds");
        File.Exists(repo.Path(".loops/pair/context.md")).ShouldBeTrue();

        Build(repo, "-t:PairNote", "-p:Note=Keep Add pure").Output.ShouldContain("Keep Add pure");
        repo.Write("Calc.cs", Code.Replace("a + b;", "a + b;\n\n    public static int Sub(int a, int b) => a - oops;", StringComparison.Ordinal));

        var broken = Build(repo, "-t:Pair");
        broken.ExitCode.ShouldNotBe(0);
        broken.Output.ShouldContain("Calc.cs(7,48): error CS0103");
        broken.Output.ShouldContain("Build: FAILED");
        broken.Output.ShouldContain("✗ Calc.cs:7:48 CS0103"); // from the compiler's SARIF log: no second build

        var missing = Build(repo, "-t:PairRewind", "-p:Checkpoint=9");
        missing.ExitCode.ShouldNotBe(0);
        missing.Output.ShouldContain("error EL6004");

        Build(repo, "-t:PairRewind", "-p:Checkpoint=1").ExitCode.ShouldBe(0);
        repo.Read("Calc.cs").ShouldBe(Code);

        var end = Build(repo, "-t:PairEnd");
        end.ExitCode.ShouldBe(0, end.Output);
        Directory.GetFiles(repo.Path("docs/pair-sessions"), "*.md").Length.ShouldBe(1);
        Build(repo, "-t:Pair").Output.ShouldContain("error EL6001");
    }

    [Fact]
    public void LintOnBuild_BrokenBriefFailsTheBuildWithFileAndLine()
    {
        using var repo = new TempGitRepo();
        feed.WriteProject(repo.Root, Code);
        repo.Write(".loops/missions/bad.md", "---\nkind: fromat\ngates: [build]\n---\n");
        repo.Commit("app");

        var result = Build(repo, "-p:LoopsLintOnBuild=true");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(".loops/missions/bad.md(2,7): error EL1009: Unknown kind 'fromat'.");
        var pairWithBadBrief = Build(repo, "-t:Pair", "-p:PairBrief=bad");
        pairWithBadBrief.ExitCode.ShouldNotBe(0);
        pairWithBadBrief.Output.ShouldContain(".loops/missions/bad.md(2,7): error EL1009");
        var plain = Build(repo);
        plain.ExitCode.ShouldBe(0, plain.Output);
    }

    [Fact]
    public void DelegateTarget_RunsTheNamedMissionIntoTheReviewQueue()
    {
        using var repo = new TempGitRepo();
        feed.WriteProject(repo.Root, Code);
        repo.Write(".gitignore", "bin/\nobj/\n.loops/state/\n");
        repo.Write(".loops/missions/stamp.md", $"---\n{MissionRepo.Command("echo stamped >> notes.txt")}\n---\n# Stamp\n");
        repo.Commit("app");

        var result = Build(repo, "-t:Delegate", "-p:LoopsMission=stamp");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("published");
        repo.Git("show", "loops/stamp:notes.txt").ShouldBe("stamped\n");
    }

    private static (int ExitCode, string Output) Build(TempGitRepo repo, params string[] arguments) =>
        PackedFeed.Run(repo.Root, "dotnet", ["build", "-nologo", .. arguments]);
}
