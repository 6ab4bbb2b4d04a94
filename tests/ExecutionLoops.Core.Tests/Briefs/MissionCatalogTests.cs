using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Briefs;

public sealed class MissionCatalogTests : IDisposable
{
    private static readonly BriefVocabulary Vocabulary = ExecutionLoops.Execution.LoopsRegistry.VocabularyOf();
    private readonly string _root = Directory.CreateTempSubdirectory("loops-catalog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void Load_WhenTwoBriefsShareAnId_ReportsDuplicateOnTheSecondNamingTheFirst()
    {
        Write(".loops/missions/a.md", "---\nid: same\nkind: format\ngates: [build]\nsuccess: [x]\nconstraints: {max-files: 1}\n---\n");
        Write(".loops/missions/b.md", "---\nid: same\nkind: format\ngates: [build]\nsuccess: [x]\nconstraints: {max-files: 1}\n---\n");

        var result = MissionCatalog.Load(_root, LoopsConfig.Default, Vocabulary);

        result.Briefs.Count.ShouldBe(1);
        var diagnostic = result.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.DuplicateId);
        diagnostic.Path.ShouldBe(".loops/missions/b.md");
        diagnostic.Message.ShouldContain(".loops/missions/a.md");
    }

    [Fact]
    public void Load_ReportsProblemsOfEveryBriefAndKeepsTheValidOnes()
    {
        Write(".loops/missions/good.md", "---\nkind: format\ngates: [build]\nsuccess: [x]\nconstraints: {max-files: 1}\n---\n");
        Write(".loops/missions/bad-one.md", "---\nkind: nope\ngates: [build]\n---\n");
        Write(".loops/missions/bad-two.md", "no front matter\n");
        Write(".loops/missions/drafts/ignored.md", "not a brief\n");

        var result = MissionCatalog.Load(_root, LoopsConfig.Default, Vocabulary);

        result.Briefs.Select(b => b.Id).ShouldBe(["good"]);
        result.HasErrors.ShouldBeTrue();
        result.Diagnostics.Where(d => d.IsError).Select(d => d.Path).Distinct().Order(StringComparer.Ordinal).ShouldBe([".loops/missions/bad-one.md", ".loops/missions/bad-two.md"]);
    }

    [Fact]
    public void Load_WhenPathDoesNotExist_ReportsIt()
    {
        var result = MissionCatalog.Load(_root, LoopsConfig.Default, Vocabulary, ["missing.md"]);

        result.HasErrors.ShouldBeTrue();
        result.Diagnostics.Single().Message.ShouldContain("missing.md");
    }

    [Fact]
    public void Load_WhenNoBriefs_WarnsOnly()
    {
        var result = MissionCatalog.Load(_root, LoopsConfig.Default, Vocabulary);

        result.HasErrors.ShouldBeFalse();
        result.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.NoBriefs);
    }

    [Fact]
    public void ConfigLoader_ReadsKeysAndReportsUnknownOnesWithLines()
    {
        Write(".loops/config.yml", "base-branch: main\nreview:\n  target: local\ngates: [build, {diff: {max-files: 5}}]\ntimeout: 20m\nprotected-paths: [\"secrets/**\"]\nbase-brnach: x\n");

        var (config, diagnostics) = ConfigLoader.Load(_root, Vocabulary);

        config.BaseBranch.ShouldBe("main");
        config.Gates.Select(g => g.Name).ShouldBe(["build", "diff"]);
        config.MissionTimeout.ShouldBe(TimeSpan.FromMinutes(20));
        config.ProtectedPaths.ShouldBe(["secrets/**"]);
        diagnostics.Single().ToString().ShouldBe(".loops/config.yml(7,1): error EL1004: Unknown key 'base-brnach' in the config. Did you mean 'base-branch'?");
    }

    [Fact]
    public void ConfigLoader_EnvironmentOverridesBaseBranchMissionsAndAgentSettings()
    {
        // Same class as the defaults test: xunit runs a class's tests one at a time, so the variables cannot leak into it.
        Write(".loops/config.yml", "base-branch: main\nagent: {preset: aider}\n");
        Environment.SetEnvironmentVariable("LOOPS_BASE_BRANCH", "release");
        Environment.SetEnvironmentVariable("LOOPS_MISSIONS", "ops/*.md; .loops/missions/*.md");
        Environment.SetEnvironmentVariable("LOOPS_AGENT_PRESET", "claude");
        Environment.SetEnvironmentVariable("LOOPS_AGENT_MAX_TURNS", "12");
        try
        {
            var (config, _) = ConfigLoader.Load(_root, Vocabulary);

            config.BaseBranch.ShouldBe("release");
            config.Missions.ShouldBe(["ops/*.md", ".loops/missions/*.md"]);
            config.Agent["preset"].ShouldBe("claude");
            config.Agent["max-turns"].ShouldBe("12");
        }
        finally
        {
            foreach (var name in new[] { "LOOPS_BASE_BRANCH", "LOOPS_MISSIONS", "LOOPS_AGENT_PRESET", "LOOPS_AGENT_MAX_TURNS" })
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void ConfigLoader_WhenMissing_UsesDefaults()
    {
        var (config, diagnostics) = ConfigLoader.Load(_root, Vocabulary);

        config.ShouldBe(LoopsConfig.Default);
        diagnostics.ShouldBeEmpty();
    }
}
