using ExecutionLoops.Diagnostics;
using ExecutionLoops.Pair;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Core.Tests.Pair;

public sealed class PairLogicTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static PairSession Session(params string[] criteria) => new()
    {
        Id = "s",
        Goal = "goal",
        Criteria = criteria,
        Timebox = TimeSpan.FromMinutes(45),
        Started = Start,
        StartSnapshot = "abc",
        BaselineWarnings = 1,
    };

    private static PairFeedback Feedback(bool build = true, int warnings = 1, bool testsRun = true, int failed = 0) => new(
        build,
        build ? [] : [Diagnostic.Error("EL3001", "CS0103: missing", "a.cs", 1, 1)],
        Enumerable.Range(0, warnings).Select(i => Diagnostic.Warning("EL3001", $"CS0168: unused {i}", "a.cs", i + 1, 1)).ToList(),
        testsRun,
        5,
        Enumerable.Range(0, failed).Select(i => $"T{i}: boom").ToList());

    [Fact]
    public void TimeLine_ShowsTimeLeftWithinTheBoxAndWarnsPastIt()
    {
        PairDashboard.TimeLine(Session(), Start.AddMinutes(15)).ShouldBe("Time: 15m used of 45m (30m left)");
        PairDashboard.TimeLine(Session(), Start.AddMinutes(50)).ShouldBe("Time: WARNING past the time box: 50m used of 45m");
    }

    [Fact]
    public async Task Criteria_AreCheckedMechanicallyWhereTheyCanBe()
    {
        var session = Session("tests pass", "no new warnings", "build succeeds", "command: test -d /", "the names read well");

        var results = await PairCriteria.EvaluateAsync(session, Feedback(warnings: 2, failed: 1), Path.GetTempPath(), new ProcessRunner(), CancellationToken.None);

        results.Select(r => r.Status).ShouldBe([CriterionStatus.NotMet, CriterionStatus.NotMet, CriterionStatus.Met, CriterionStatus.Met, CriterionStatus.Manual]);
        results[1].Detail.ShouldBe("2 warning(s), 1 at the start");
    }

    [Fact]
    public async Task Criteria_TestsNotRun_AreUnknownNotMet()
    {
        var results = await PairCriteria.EvaluateAsync(Session("tests pass"), Feedback(testsRun: false), Path.GetTempPath(), new ProcessRunner(), CancellationToken.None);

        results.Single().Status.ShouldBe(CriterionStatus.Unknown);
        PairCriteria.NeedsTests(["all tests pass"]).ShouldBeTrue();
        PairCriteria.NeedsTests(["no new warnings"]).ShouldBeFalse();
    }

    [Fact]
    public void Drafter_TurnsAddedTodosAndNewWarningsIntoDraftBriefs()
    {
        var folder = Directory.CreateTempSubdirectory("loops-drafts-").FullName;
        try
        {
            var session = Session() with { LastFeedback = Feedback(warnings: 3) };
            var diff = "+++ b/src/Cart.cs\n@@ -1 +1,2 @@\n+    // TODO: coupons\n context\n";

            var drafts = FollowUpDrafter.Draft(session, diff, folder);

            drafts.Select(Path.GetFileName).ShouldBe(["s-todos.md", "s-warnings.md"]);
            File.ReadAllText(drafts[0]).ShouldContain("- `src/Cart.cs`: // TODO: coupons");
            File.ReadAllText(drafts[1]).ShouldContain("No more than 1 build warnings");

            // Every draft lints clean as written, with no agent in the config: the analyze draft names its rules.
            var vocabulary = ExecutionLoops.Execution.LoopsRegistry.VocabularyOf();
            foreach (var draft in drafts)
            {
                var parsed = ExecutionLoops.Briefs.BriefParser.Parse(File.ReadAllText(draft), draft, Path.GetFileName(draft), vocabulary, []);
                parsed.Diagnostics.Where(d => d.IsError).ShouldBeEmpty(draft);
                if (parsed.Brief!.Kind == "agent")
                {
                    ExecutionLoops.Agents.AgentSettings.Resolve(new Dictionary<string, string>(), parsed.Brief.Agent).Problems.ShouldBeEmpty();
                }
            }

            File.ReadAllText(drafts[1]).ShouldContain("analyze: {diagnostics: [CS0168]}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ContextPack_StaysWithinBudgetAndIsDeterministic()
    {
        var session = Session("tests pass") with { Notes = [new PairNote(Start.AddMinutes(1), "chose records")] };
        var diff = string.Concat(Enumerable.Repeat("+ a long added line of code\n", 2000));

        var first = ContextPackWriter.Write(session, Feedback(), [], diff, [], Path.GetTempPath(), 4000, Start.AddMinutes(5));
        var second = ContextPackWriter.Write(session, Feedback(), [], diff, [], Path.GetTempPath(), 4000, Start.AddMinutes(5));

        first.ShouldBe(second);
        first.Length.ShouldBeLessThan(4500);
        first.ShouldContain("chose records");
        first.ShouldContain("diff cut to fit");
    }
}
