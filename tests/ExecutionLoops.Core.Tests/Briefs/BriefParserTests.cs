using System.Text.Json;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;

namespace ExecutionLoops.Core.Tests.Briefs;

public sealed class BriefParserTests
{
    private static readonly BriefVocabulary Vocabulary = LoopsRegistry.VocabularyOf();

    private static BriefParseResult Parse(string text, string file = "format-code.md", IReadOnlyList<GateSpec>? defaultGates = null) =>
        BriefParser.Parse(text, $"/repo/.loops/missions/{file}", $".loops/missions/{file}", Vocabulary, defaultGates ?? []);

    private const string Complete = """
        ---
        id: refresh-code-style
        loop: delegate
        kind: format
        on:
          schedule: "0 3 * * 1"
        scope:
          include: ["src/**", "docs/api/**"]
          exclude: ["src/Generated/**"]
        constraints:
          max-files: 20
          max-lines: 400
          timeout: 15m
        gates: [build, test, format, {diff: {max-lines: 400}}, {command: {run: "dotnet tool run check", required: false}}]
        success:
          - Every file follows .editorconfig
        review:
          title: "style: format the code"
          labels: [toil, style]
          reviewers: [docs-team]
          draft-when: always
        ---
        # Format the code

        Run the formatter over src/.
        """;

    [Fact]
    public void Parse_AzureReposReviewKeys_ReadOptionalReviewersWorkItemsAndAutoComplete_AndRejectABadWorkItem()
    {
        var good = Parse("---\nid: stamp\nkind: format\non: {manual: true}\nconstraints: {max-files: 5, max-lines: 50, timeout: 2m}\ngates: [diff]\nsuccess: [done]\nreview:\n  reviewers: [ana@contoso.com]\n  optional-reviewers: [\"[Shop]\\\\Release Team\"]\n  work-items: [42, 7]\n  auto-complete: true\n---\n# Stamp\n", "stamp.md");

        good.Diagnostics.ShouldBeEmpty();
        var review = good.Brief.ShouldNotBeNull().Review;
        review.Reviewers.ShouldBe(["ana@contoso.com"]);
        review.OptionalReviewers.ShouldBe(["[Shop]\\Release Team"]);
        review.WorkItems.ShouldBe([42, 7]);
        review.AutoComplete.ShouldBeTrue();

        var bad = Parse("---\nid: stamp\nkind: format\non: {manual: true}\nconstraints: {max-files: 5, max-lines: 50, timeout: 2m}\ngates: [diff]\nsuccess: [done]\nreview:\n  work-items: [42, zero]\n---\n# Stamp\n", "stamp.md");

        var error = bad.Diagnostics.ShouldHaveSingleItem();
        error.Message.ShouldContain("'work-items' must be a positive whole number");
        error.Line.ShouldBe(9);
    }

    [Fact]
    public void Parse_CompleteBrief_ReadsEveryField()
    {
        var result = Parse(Complete);

        result.Diagnostics.ShouldBeEmpty();
        var brief = result.Brief.ShouldNotBeNull();
        brief.Id.ShouldBe("refresh-code-style");
        brief.Kind.ShouldBe("format");
        brief.Trigger.ShouldBe(new MissionTrigger("0 3 * * 1", false));
        brief.Scope.Include.ShouldBe(["src/**", "docs/api/**"]);
        brief.Scope.Exclude.ShouldBe(["src/Generated/**"]);
        brief.Constraints.ShouldBe(new MissionConstraints(20, 400, TimeSpan.FromMinutes(15)));
        brief.Gates.Select(g => g.Name).ShouldBe(["build", "test", "format", "diff", "command"]);
        brief.Gates[3].Values.Text("max-lines").ShouldBe("400");
        brief.Gates[4].Required.ShouldBeFalse();
        brief.Gates[4].Values.Text("run").ShouldBe("dotnet tool run check");
        brief.Success.ShouldBe(["Every file follows .editorconfig"]);
        brief.Review.Title.ShouldBe("style: format the code");
        brief.Review.Labels.ShouldBe(["toil", "style"]);
        brief.Review.DraftWhen.ShouldBe(DraftPolicy.Always);
        brief.Title.ShouldBe("Format the code");
        brief.Specification.ShouldStartWith("# Format the code");
    }

    [Fact]
    public void Parse_WhenNoFrontMatter_ReportsEL1001AtLineOne()
    {
        var result = Parse("# Just markdown\n");

        result.Brief.ShouldBeNull();
        result.Diagnostics.Single().ToString().ShouldStartWith(".loops/missions/format-code.md(1,1): error EL1001:");
    }

    [Fact]
    public void Parse_WhenFrontMatterNeverClosed_ReportsEL1002()
    {
        Parse("---\nkind: format\n# body").Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.BrokenFrontMatter);
    }

    [Fact]
    public void Parse_WhenYamlBroken_ReportsSyntaxErrorOnTheFileLine()
    {
        // File line 4 holds the bad indentation (line 1 is the opening ---).
        var result = Parse("---\nkind: format\nscope:\n  include: [src/**\nsuccess: [x]\n---\n");

        var diagnostic = result.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.YamlSyntax);
        diagnostic.Line.ShouldBeInRange(4, 5);
    }

    [Fact]
    public void Parse_WhenKeyMisspelled_SuggestsClosestKeyWithLineAndColumn()
    {
        var result = Parse("---\nkind: format\nsucess: [x]\ngates: [build]\nconstraints: {max-files: 3}\n---\n");

        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownKey);
        diagnostic.ToString().ShouldBe(".loops/missions/format-code.md(3,1): error EL1004: Unknown key 'sucess' in the brief. Did you mean 'success'?");
    }

    [Fact]
    public void Parse_WhenNestedKeyUnknown_ReportsItInItsSection()
    {
        var result = Parse("---\nkind: format\nconstraints:\n  max-file: 3\ngates: [build]\nsuccess: [x]\n---\n");

        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownKey);
        diagnostic.Line.ShouldBe(4);
        diagnostic.Column.ShouldBe(3);
        diagnostic.Hint.ShouldBe("Did you mean 'max-files'?");
    }

    [Fact]
    public void Parse_WhenTypesWrong_ReportsEachOne()
    {
        var result = Parse("---\nkind: format\nconstraints:\n  max-files: lots\n  max-lines: -4\nsuccess: just one\ngates: [build]\n---\n");

        result.Diagnostics.Where(d => d.Code == DiagnosticCodes.WrongType).Select(d => d.Line).ShouldBe([4, 5, 6]);
    }

    [Theory]
    [InlineData("Format_Code")]
    [InlineData("format--code")]
    [InlineData("-format")]
    public void Parse_WhenIdInvalid_ReportsEL1006(string id)
    {
        var result = Parse($"---\nid: {id}\nkind: format\ngates: [build]\n---\n");

        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InvalidId && d.Line == 2);
    }

    [Fact]
    public void Parse_WhenIdFromFileNameInvalid_HintsToRenameTheFile()
    {
        var result = Parse("---\nkind: format\ngates: [build]\n---\n", file: "My Mission.md");

        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.InvalidId).Hint!.ShouldContain("rename the file");
    }

    [Fact]
    public void Parse_WhenCronInvalid_ReportsEL1008OnTheScheduleLine()
    {
        var result = Parse("---\nkind: format\non:\n  schedule: \"0 25 * * *\"\ngates: [build]\n---\n");

        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.InvalidCron);
        diagnostic.Line.ShouldBe(4);
    }

    [Fact]
    public void Parse_WhenKindUnknown_SuggestsAKnownKind()
    {
        var result = Parse("---\nkind: fromat\ngates: [build]\n---\n");

        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownKind).Hint.ShouldBe("Did you mean 'format'?");
    }

    [Fact]
    public void Parse_WhenKindPlannedButNotAvailable_SaysSo()
    {
        // A host that lacks a kind the product knows of names it as planned, so a brief using it is not called a typo.
        var registry = LoopsRegistry.CreateDefault(new ExecutionLoops.Processes.ProcessRunner(), TimeProvider.System);
        var vocabulary = new BriefVocabulary(registry.Vocabulary.Kinds.Values.Where(k => k.Kind != "dependencies"), registry.Vocabulary.Gates.Values, new HashSet<string> { "dependencies" });
        var result = BriefParser.Parse("---\nkind: dependencies\ngates: [build]\n---\n", "/repo/.loops/missions/deps.md", ".loops/missions/deps.md", vocabulary, []);

        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownKind).Message.ShouldContain("not available in this version");
    }

    [Fact]
    public void Parse_WhenGateUnknown_ReportsEL1010WithSuggestion()
    {
        var result = Parse("---\nkind: format\ngates: [build, tset]\n---\n");

        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownGate).Hint.ShouldBe("Did you mean 'test'?");
    }

    [Fact]
    public void Parse_WhenCommandGateHasNoRun_ReportsMissingValue()
    {
        Parse("---\nkind: format\ngates: [{command: {required: false}}]\n---\n").Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.MissingValue);
    }

    [Theory]
    [InlineData("../outside/**")]
    [InlineData("/etc/**")]
    [InlineData("src/../../x")]
    [InlineData("C:\\\\code\\\\**")]
    [InlineData("~/secrets")]
    public void Parse_WhenScopeEscapesRepo_ReportsEL1011(string glob)
    {
        var result = Parse($"---\nkind: format\nscope:\n  include: [\"{glob}\"]\ngates: [build]\n---\n");

        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ScopeEscapesRepo).Line.ShouldBe(4);
    }

    [Fact]
    public void Parse_WhenTimeoutDoesNotParse_ReportsEL1012WithExamples()
    {
        var result = Parse("---\nkind: format\nconstraints:\n  timeout: fifteen minutes\ngates: [build]\n---\n");

        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.InvalidDuration);
        diagnostic.Hint.ShouldBe(DurationParser.Examples);
        diagnostic.Line.ShouldBe(4);
    }

    [Fact]
    public void Parse_WhenCommandKindHasNoCommands_ReportsMissingValue()
    {
        Parse("---\nkind: command\ngates: [build]\n---\n").Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.MissingValue);
    }

    [Fact]
    public void Parse_DelegatedMissionWithoutSuccessOrConstraints_WarnsAboutUnclearSpecs()
    {
        var result = Parse("---\nkind: format\ngates: [build]\n---\n");

        result.Brief.ShouldNotBeNull();
        result.Diagnostics.Select(d => (d.Code, d.Severity)).ShouldBe([(DiagnosticCodes.NoSuccessCriteria, DiagnosticSeverity.Warning), (DiagnosticCodes.NoConstraints, DiagnosticSeverity.Warning)]);
    }

    [Fact]
    public void Parse_DelegatedMissionWithoutAnyGates_IsAnError()
    {
        var result = Parse("---\nkind: format\nsuccess: [x]\nconstraints: {max-files: 3}\n---\n");

        result.Brief.ShouldBeNull();
        result.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.NoGates);
    }

    [Fact]
    public void Parse_DelegatedMissionWithoutGates_UsesConfigDefaultsWithoutError()
    {
        var result = Parse("---\nkind: format\nsuccess: [x]\nconstraints: {max-files: 3}\n---\n", defaultGates: [GateSpec.Of("build")]);

        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_PairBriefForRoutineToil_WarnsToDelegate()
    {
        var result = Parse("---\nloop: pair\nkind: format\n---\n");

        var diagnostic = result.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.PairForRoutineToil);
        diagnostic.Severity.ShouldBe(DiagnosticSeverity.Warning);
        diagnostic.Hint!.ShouldContain("loop: delegate");
    }

    [Fact]
    public void Parse_ManyProblems_AreAllReportedInOnePass()
    {
        var result = Parse("---\nid: Bad_Id\nkind: fromat\nsucess: [x]\non: {schedule: \"nope\"}\nconstraints: {timeout: soon}\ngates: [biuld]\n---\n");

        result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal).ShouldBe(
            [DiagnosticCodes.UnknownKey, DiagnosticCodes.InvalidId, DiagnosticCodes.InvalidCron, DiagnosticCodes.UnknownKind, DiagnosticCodes.UnknownGate, DiagnosticCodes.InvalidDuration, DiagnosticCodes.NoSuccessCriteria],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("00:15:00", 900)]
    public void DurationParser_AcceptsBriefDurations(string text, int seconds)
    {
        DurationParser.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m15")]
    [InlineData("0s")]
    public void DurationParser_RejectsNonsense(string text) => DurationParser.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Schemas_AgreeWithTheKeysTheParserAccepts()
    {
        using var mission = JsonDocument.Parse(BriefSchemas.Mission(Vocabulary));
        using var config = JsonDocument.Parse(BriefSchemas.Config(Vocabulary));

        Keys(mission.RootElement).ShouldBe([.. BriefKeys.Brief, .. Vocabulary.Sections.Keys], ignoreOrder: true);
        Keys(mission.RootElement, "on").ShouldBe(BriefKeys.On, ignoreOrder: true);
        Keys(mission.RootElement, "scope").ShouldBe(BriefKeys.Scope, ignoreOrder: true);
        Keys(mission.RootElement, "constraints").ShouldBe(BriefKeys.Constraints, ignoreOrder: true);
        Keys(mission.RootElement, "review").ShouldBe(BriefKeys.Review, ignoreOrder: true);
        Keys(mission.RootElement, "pair").ShouldBe(BriefKeys.Pair, ignoreOrder: true);
        Keys(mission.RootElement, "docs").ShouldBe(ExecutionLoops.Briefs.Sections.DocsSection.Keys, ignoreOrder: true);
        Keys(config.RootElement).ShouldBe(BriefKeys.Config, ignoreOrder: true);
        Keys(config.RootElement, "review").ShouldBe(BriefKeys.ConfigReview, ignoreOrder: true);
        Keys(mission.RootElement, "agent").ShouldBe(ExecutionLoops.Agents.AgentSettings.Keys, ignoreOrder: true);
        Keys(config.RootElement, "agent").ShouldBe(ExecutionLoops.Agents.AgentSettings.Keys, ignoreOrder: true);
        Keys(mission.RootElement, "dependencies").ShouldBe(ExecutionLoops.Dependencies.DependencyPolicyReader.Keys, ignoreOrder: true);
        Keys(mission.RootElement, "analyze").ShouldBe(ExecutionLoops.Briefs.Sections.AnalyzeSection.Keys, ignoreOrder: true);
        mission.RootElement.GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ShouldBe(Vocabulary.Kinds.Keys, ignoreOrder: true);

        // Every registered gate appears once as a mapping with exactly its declared options; the bare-name form
        // lists the gates that need no option.
        foreach (var root in new[] { mission.RootElement, config.RootElement })
        {
            var choices = root.GetProperty("properties").GetProperty("gates").GetProperty("items").GetProperty("anyOf").EnumerateArray().ToList();
            choices[0].GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ShouldBe(Vocabulary.Gates.Values.Where(g => !g.Options.Any(o => o.Required)).Select(g => g.Name), ignoreOrder: true);
            foreach (var gate in Vocabulary.Gates.Values)
            {
                var value = choices.Skip(1).Single(c => c.GetProperty("properties").TryGetProperty(gate.Name, out _)).GetProperty("properties").GetProperty(gate.Name);
                var options = value.TryGetProperty("anyOf", out var anyOf) ? anyOf[0] : value;
                options.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(gate.Options.Select(o => o.Name).Append("required"), ignoreOrder: true);
            }
        }
    }

    private static IEnumerable<string> Keys(JsonElement schema, string? section = null)
    {
        var properties = schema.GetProperty("properties");
        var target = section is null ? properties : properties.GetProperty(section).GetProperty("properties");
        return target.EnumerateObject().Select(p => p.Name).ToList();
    }

    [Fact]
    public void Parse_AnAliasThatExpandsPastTheLimit_IsEL1015AtTheAlias()
    {
        var anchor = new string('x', 400_000);
        var text = $"---\nkind: format\nx-big: &big \"{anchor}\"\ngates: [build]\ncommands:\n  - *big\n  - *big\n  - *big\n---\n# Body\n";

        var result = Parse(text);

        result.Brief.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        // The anchor and the first alias make 800 KB; the second alias (file line 7) takes it past 1 MB.
        (diagnostic.Code, diagnostic.Line).ShouldBe(("EL1015", 7));
    }

    [Fact]
    public void Parse_ASmallAliasedValue_IsFine()
    {
        var result = Parse("---\nkind: format\nscope: {include: &src [\"src/**\"]}\ngates: [build]\nsuccess: [ok]\nx: *src\n---\n");

        result.Diagnostics.ShouldNotContain(d => d.Code == "EL1015");
    }

    [Fact]
    public void Parse_AMissionIdLongerThanPathsAllow_IsEL1006()
    {
        var id = string.Join('-', Enumerable.Repeat("segment", 40));

        var result = Parse($"---\nid: {id}\nkind: format\ngates: [build]\nsuccess: [ok]\n---\n");

        var diagnostic = result.Diagnostics.Where(d => d.IsError).ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("EL1006");
        diagnostic.Message.ShouldContain($"{id.Length} characters; at most 64");
        diagnostic.Line.ShouldBe(2);
    }

    [Fact]
    public void Parse_ACronThatNeverFires_IsEL1008()
    {
        var result = Parse("---\nkind: format\non: {schedule: \"0 0 31 2 *\"}\ngates: [build]\nsuccess: [ok]\n---\n");

        var diagnostic = result.Diagnostics.Where(d => d.IsError).ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("EL1008");
        diagnostic.Message.ShouldContain("never fires");
    }
}
