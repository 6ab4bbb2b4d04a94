using System.IO.Compression;
using System.Text.RegularExpressions;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>Real `dotnet build -t:…` against a project that references the packed ExecutionLoops.MSBuild package.</summary>
public sealed partial class MSBuildTests(PackedFeed feed) : IClassFixture<PackedFeed>
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
    public void PairServer_AnswersTheNextCalls_ABrokenServerFallsBackToTheProcess_AndNoneStartsWhenTurnedOff()
    {
        using var repo = new TempGitRepo();
        feed.WriteProject(repo.Root, Code);
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n");
        repo.Commit("app");
        // A short idle time, so nothing outlives the test run even if a step below fails before the stop.
        var serving = new Dictionary<string, string> { ["LOOPS_PAIR_SERVER_IDLE"] = "60s", ["LOOPS_TRACE"] = "1" };
        try
        {
            // Forced on: the tests run without node reuse (and CI without servers), where the server is off by default.
            var first = Build(repo, serving, "-t:Pair", "-p:Goal=Serve it", "-p:LoopsPairServer=true", "-v:n");
            first.ExitCode.ShouldBe(0, first.Output);
            first.Output.ShouldContain("Started pair session");
            first.Output.ShouldNotContain("served by the pair server");
            first.Output.ShouldContain("ExecutionLoops: started the pair server");
            // Named after the restored tool's time stamp: known once the first build restored it.
            var socket = PairServerSocket.Of(repo.Root, feed.LoopsDll);
            PairServerSocket.WaitFor(socket, first.Output);

            var served = Build(repo, serving, "-t:Pair", "-p:LoopsPairServer=true", "-v:n");
            served.ExitCode.ShouldBe(0, served.Output);
            served.Output.ShouldContain("loops-trace: served by the pair server");
            served.Output.ShouldContain("Checkpoint 1 reused"); // nothing changed since the first call's checkpoint
            var pid = int.Parse(ServedBy().Match(served.Output).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);

            // An EL error from the server is a real MSBuild error that fails the build, as from the process; and the
            // server traces a call only when that call's build asks (LOOPS_* variables travel with each request).
            var missing = Build(repo, new Dictionary<string, string> { ["LOOPS_PAIR_SERVER_IDLE"] = "60s" }, "-t:PairRewind", "-p:Checkpoint=9", "-p:LoopsPairServer=true", "-v:n");
            missing.ExitCode.ShouldNotBe(0);
            missing.Output.ShouldContain("error EL6004");
            missing.Output.ShouldContain($"served by the pair server (pid {pid})");
            missing.Output.ShouldNotContain("loops-trace");

            // A killed server leaves its socket behind: the next call runs the program, and starts a new server.
            using (var server = System.Diagnostics.Process.GetProcessById(pid))
            {
                server.Kill();
                server.WaitForExit();
            }

            repo.Write("Calc.cs", Code.Replace("a + b", "b + a", StringComparison.Ordinal));
            var fallback = Build(repo, serving, "-t:Pair", "-p:LoopsPairServer=true", "-v:n");
            fallback.ExitCode.ShouldBe(0, fallback.Output);
            fallback.Output.ShouldNotContain("served by the pair server");
            fallback.Output.ShouldContain("Checkpoint 2 saved");
            PairServerSocket.WaitFor(socket, fallback.Output);
            StopServer(repo).ShouldStartWith("Stopped the pair server");

            // Off by the property, and off without node reuse (the tests' MSBUILDDISABLENODEREUSE=1) when nothing forces it.
            var off = Build(repo, serving, "-t:Pair", "-p:LoopsPairServer=false", "-v:n");
            off.ExitCode.ShouldBe(0, off.Output);
            var noReuse = Build(repo, new Dictionary<string, string> { ["LOOPS_PAIR_SERVER_IDLE"] = "60s" }, "-t:Pair", "-v:n");
            noReuse.ExitCode.ShouldBe(0, noReuse.Output);
            noReuse.Output.ShouldNotContain("served by the pair server");
            StopServer(repo).ShouldStartWith("No pair server runs");
        }
        finally
        {
            StopServer(repo);
        }
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

    [Fact]
    public void SolutionTargets_ActOncePerInvocation_ForTheWholeSolution()
    {
        using var repo = new TempGitRepo();
        WriteSolution(repo);
        repo.Write(".loops/missions/stamp.md", $"---\n{MissionRepo.Command("echo stamped >> notes.txt")}\n---\n# Stamp\n");
        repo.Commit("solution");

        // Every project of the solution runs the target (in parallel with -m); one acts for the whole solution.
        var pair = Build(repo, "Loops.slnx", "-t:Pair", "-p:Goal=Pair on the solution");
        pair.ExitCode.ShouldBe(0, pair.Output);
        Count(pair.Output, "Started pair session").ShouldBe(1, pair.Output);
        pair.Output.ShouldNotContain("EL6002");
        pair.Output.ShouldContain("! Lib/Text.cs:5:51 CS0168"); // Lib's compiler log, though App acts: the whole solution

        var note = Build(repo, "Loops.slnx", "-m:1", "-t:PairNote", "-p:Note=Once per solution");
        note.ExitCode.ShouldBe(0, note.Output);
        Count(note.Output, "Noted at").ShouldBe(1, note.Output);

        var end = Build(repo, "Loops.slnx", "-t:PairEnd");
        end.ExitCode.ShouldBe(0, end.Output);
        Count(end.Output, "Ended pair session").ShouldBe(1, end.Output);

        var delegated = Build(repo, "Loops.slnx", "-t:Delegate", "-p:LoopsMission=stamp");
        delegated.ExitCode.ShouldBe(0, delegated.Output);
        delegated.Output.ShouldNotContain("EL2010");
        repo.Git("show", "loops/stamp:notes.txt").ShouldBe("stamped\n");
        Directory.GetFiles(repo.Path(".loops/state/journal"), "*.jsonl").Length.ShouldBe(1, delegated.Output); // one run, not one per project
    }

    [Fact]
    public void LintOnBuild_IsIncremental_SkipsDesignTimeBuilds_AndOrdinaryBuildsWriteOnlyTheCompilerLogPairReads()
    {
        using var repo = new TempGitRepo();
        feed.WriteProject(repo.Root, Code);
        repo.Write(".loops/missions/stamp.md", $"---\n{MissionRepo.Command("echo stamped >> notes.txt")}\n---\n# Stamp\n");
        repo.Commit("app");

        var first = Build(repo, "-p:LoopsLintOnBuild=true", "-v:n");
        first.ExitCode.ShouldBe(0, first.Output);
        first.Output.ShouldContain("lint: 1 valid brief(s)");
        var second = Build(repo, "-p:LoopsLintOnBuild=true", "-v:n");
        second.ExitCode.ShouldBe(0, second.Output);
        second.Output.ShouldContain("Skipping target \"_LoopsLintOnBuild\" because all output files are up-to-date");
        second.Output.ShouldNotContain("lint: 1 valid brief(s)");
        // The compiler log Pair reads is written by every build, so Pair's own build is the same (already evaluated) build.
        Directory.GetFiles(repo.Path("obj"), "*.sarif", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldBe(["loops-compile.sarif"]);

        repo.Write(".loops/missions/bad.md", "---\nkind: fromat\ngates: [build]\n---\n");
        var changed = Build(repo, "-p:LoopsLintOnBuild=true");
        changed.ExitCode.ShouldNotBe(0);
        changed.Output.ShouldContain(".loops/missions/bad.md(2,7): error EL1009");

        var designTime = Build(repo, "-p:LoopsLintOnBuild=true", "-p:DesignTimeBuild=true");
        designTime.ExitCode.ShouldBe(0, designTime.Output);
        designTime.Output.ShouldNotContain("EL1009");
    }

    [Fact]
    public void Packages_CarryAReadme()
    {
        using (var package = ZipFile.OpenRead(Directory.GetFiles(feed.Feed, "ExecutionLoops.MSBuild.*.nupkg").Single()))
        {
            package.GetEntry("README.md").ShouldNotBeNull();
            package.GetEntry("buildMultiTargeting/ExecutionLoops.MSBuild.targets").ShouldNotBeNull();
            new StreamReader(package.GetEntry("ExecutionLoops.MSBuild.nuspec")!.Open()).ReadToEnd().ShouldContain("<readme>README.md</readme>");
        }

        // The fixture's pack built the tool in Release (without an app host), so packing it needs no build.
        var output = Path.Combine(feed.Root, "tool");
        var source = TempGitRepo.SourceRoot();
        var pack = PackedFeed.Run(source, "dotnet", "pack", Path.Combine(source, "src", "ExecutionLoops.Cli"), "--no-build", "-p:UseAppHost=false", "-o", output, $"-p:PackageVersion={feed.Version}", "-nologo");
        pack.ExitCode.ShouldBe(0, pack.Output);
        pack.Output.ShouldNotContain("missing a readme");
        using var tool = ZipFile.OpenRead(Directory.GetFiles(output, "ExecutionLoops.Tool.*.nupkg").Single());
        tool.GetEntry("PACKAGE.md").ShouldNotBeNull();
    }

    /// <summary>Two projects of one solution, both given the package by Directory.Build.targets (the usual way); Lib has a warning.</summary>
    private void WriteSolution(TempGitRepo repo)
    {
        repo.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="loops-test" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);
        repo.Write("Directory.Build.targets", $"""
            <Project>
              <PropertyGroup>
                <RestorePackagesPath>{feed.Packages}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ExecutionLoops.MSBuild" Version="{feed.Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        repo.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup>
            </Project>
            """);
        repo.Write("App/Calc.cs", Code);
        repo.Write("Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            </Project>
            """);
        repo.Write("Lib/Text.cs", "namespace Lib;\n\npublic static class Text\n{\n    public static string Trim(string value) { int unused; return value.Trim(); }\n}\n");
        repo.Write("Loops.slnx", "<Solution>\n  <Project Path=\"App/App.csproj\" />\n  <Project Path=\"Lib/Lib.csproj\" />\n</Solution>\n");
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n.loops/state/\n");
    }

    private static int Count(string text, string value) => Regex.Count(text, Regex.Escape(value));

    private static (int ExitCode, string Output) Build(TempGitRepo repo, params string[] arguments) =>
        PackedFeed.Run(repo.Root, "dotnet", ["build", "-nologo", .. arguments]);

    private static (int ExitCode, string Output) Build(TempGitRepo repo, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        PackedFeed.Run(repo.Root, environment, "dotnet", ["build", "-nologo", .. arguments]);

    /// <summary>Asks the repository's pair server (of the packed tool) to stop; what loops said.</summary>
    private string StopServer(TempGitRepo repo) => PackedFeed.Run(repo.Root, "dotnet", feed.LoopsDll, "pair", "serve", "--stop").Output.Trim();

    [GeneratedRegex(@"served by the pair server \(pid (?<pid>\d+)\)")]
    private static partial Regex ServedBy();
}
