using ExecutionLoops.Briefs;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Briefs;

public sealed class DependencyPolicyBriefTests
{
    private static readonly BriefVocabulary Vocabulary = ExecutionLoops.Execution.LoopsRegistry.VocabularyOf();

    [Fact]
    public void APolicy_IsReadFromTheBrief()
    {
        var result = Parse("""
            dependencies:
              update-types: [patch, minor]
              prerelease: never
              include: ["Microsoft.*"]
              exclude: [Microsoft.CodeAnalysis.*]
              min-release-age: 3d
              skip-deprecated: false
              vulnerable-first: false
              keep-major-per-condition: true
              pin: ["Serilog@[3.0,4.0)", Polly]
              ignore: ["Newtonsoft.Json@13.*"]
              groups:
                - {name: test-stack, include: ["xunit*", Shouldly]}
            """);

        result.Diagnostics.ShouldBeEmpty();
        var policy = result.Brief!.SettingsOf<DependencyPolicy>();
        policy.UpdateTypes.ShouldBe([UpdateType.Patch, UpdateType.Minor], ignoreOrder: true);
        policy.Prerelease.ShouldBe(PrereleasePolicy.Never);
        policy.Include.ShouldBe(["Microsoft.*"]);
        policy.Exclude.ShouldBe(["Microsoft.CodeAnalysis.*"]);
        policy.MinReleaseAge.ShouldBe(TimeSpan.FromDays(3));
        (policy.SkipDeprecated, policy.VulnerableFirst, policy.ConditionedSitesKeepMajor).ShouldBe((false, false, true));
        policy.Pin.Select(p => $"{p.Pattern} {p.Versions}").ShouldBe(["Serilog [3.0.0, 4.0.0)", "Polly "]);
        policy.Ignore.Single().Versions!.IsFloating.ShouldBeTrue();
        policy.Groups.Single().Contains("xunit.assert").ShouldBeTrue();
    }

    [Fact]
    public void EveryPolicyMistake_IsReportedWithItsLine()
    {
        var result = Parse("""
            dependencies:
              update-types: [patch, mayor]
              prerelease: sometimes
              pin: ["Serilog@[oops"]
              groups:
                - {name: Test Stack, include: [xunit]}
                - {name: other}
              cooldown: 3d
            """);

        var errors = result.Diagnostics.Where(d => d.IsError).Select(d => (d.Code, d.Line)).ToList();
        errors.ShouldBe([
            (DiagnosticCodes.InvalidValue, 7),
            (DiagnosticCodes.InvalidValue, 8),
            (DiagnosticCodes.InvalidValue, 9),
            (DiagnosticCodes.InvalidValue, 11),
            (DiagnosticCodes.MissingValue, 12),
            (DiagnosticCodes.UnknownKey, 13),
        ], ignoreOrder: true);
        result.Diagnostics.First(d => d.Line == 7).Hint.ShouldBe("Did you mean 'major'?");
    }

    [Fact]
    public void GroupsBecomeMissionsOfTheirOwn()
    {
        using var repo = new TestSupport.TempGitRepo(initialCommit: false);
        repo.Write(".loops/missions/deps.md", "---\n" + Front("dependencies:\n  groups:\n    - {name: test-stack, include: [\"xunit*\"]}") + "\n---\n# Weekly bumps\n");

        var catalog = MissionCatalog.Load(repo.Root, LoopsConfig.Default, Vocabulary);

        catalog.Briefs.Select(b => (b.Id, b.Title, b.SettingsOf<DependencyPolicy>().Group)).ShouldBe([("deps", "Weekly bumps", null), ("deps-test-stack", "Weekly bumps (test-stack)", "test-stack")]);
        catalog.Briefs[0].SettingsOf<DependencyPolicy>().InSlice("xunit").ShouldBeFalse();
        catalog.Briefs[1].SettingsOf<DependencyPolicy>().InSlice("xunit").ShouldBeTrue();
    }

    private static string Front(string dependencies) => $"kind: dependencies\nconstraints: {{max-files: 5}}\ngates: [diff]\nsuccess: [current]\n{dependencies}";

    private static BriefParseResult Parse(string dependencies) =>
        BriefParser.Parse($"---\n{Front(dependencies)}\n---\n# Deps\n", "/repo/.loops/missions/deps.md", ".loops/missions/deps.md", Vocabulary, []);
}
