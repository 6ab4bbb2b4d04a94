using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Monitoring;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.Core.Tests.Monitoring;

public sealed class RunHistoryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("loops-history-").FullName;

    private StatePaths State => new(Path.Combine(_root, "state"), Path.Combine(_root, "worktrees"));

    [Fact]
    public void AddReports_BeyondTheLimit_KeepsTheNewestRunsAndTheFileStaysBounded()
    {
        var history = new RunHistory(State, new SecretMasker(), maxRecords: 20);

        for (var i = 0; i < 30; i++)
        {
            history.AddReports([Report($"run-{i:D2}", Start.AddHours(i), Mission("m", MissionOutcome.Published))]);
        }

        var lines = File.ReadAllLines(history.FilePath);
        lines.Length.ShouldBe(20);
        var kept = new RunHistory(State, new SecretMasker(), maxRecords: 20).Sync();
        kept.Select(r => r.Run).ShouldBe(Enumerable.Range(10, 20).Select(i => $"run-{i:D2}"));
    }

    [Fact]
    public void AddReports_MasksSecretsBeforeTheyReachTheFile()
    {
        var masker = new SecretMasker();
        masker.Add("hunter2-token-value");
        var history = new RunHistory(State, masker);

        history.AddReports([Report("run-1", Start, Mission("m", MissionOutcome.Published) with { Title = "Rotate hunter2-token-value" })]);

        var text = File.ReadAllText(history.FilePath);
        text.ShouldNotContain("hunter2-token-value");
        text.ShouldContain("Rotate ***");
    }

    [Fact]
    public void Insights_WhenAGateFailsOnlyOnceOrFeedbackDiffers_SuggestNothing()
    {
        MissionRunRecord Run(int i, bool failed, string? feedback) => new()
        {
            Run = $"r{i}",
            Mission = "m",
            Started = Start.AddDays(i),
            Outcome = failed ? MissionOutcome.GateFailed : MissionOutcome.Published,
            Gates = [new GateOutcome("test", failed ? GateStatus.Failed : GateStatus.Passed, true, failed ? ["EL3002"] : [])],
            ReviewItem = failed ? null : "m",
            Review = feedback is null ? ReviewOutcome.None : ReviewOutcome.Rejected,
            Feedback = feedback is null ? [] : [feedback],
        };

        var report = InsightsCalculator.Calculate(
            [Run(1, true, null), Run(2, false, "Rename the helper class"), Run(3, false, "Tests are missing for the parser"), Run(4, false, "Update the changelog entry")],
            [],
            new Dictionary<string, string>(),
            since: null,
            mission: null);

        report.Suggestions.ShouldBeEmpty();
        var m = report.Missions.Single();
        (m.Runs, m.Succeeded, m.ReworkRounds, m.Reviewed, m.Approved).ShouldBe((4, 3, 3, 3, 0));
        m.GateFailures.ShouldBe([new GateFailureCount("test", true, "EL3002", 1)]);
    }

    [Theory]
    [InlineData("Add a comment explaining the change", "Please add a comment that explains the change", true)]
    [InlineData("Add a comment explaining the change", "Rename the helper class", false)]
    [InlineData("", "anything", false)]
    public void FeedbackSimilarity_MatchesRephrasingsOnly(string a, string b, bool similar) =>
        FeedbackSimilarity.Similar(FeedbackSimilarity.Words(a), FeedbackSimilarity.Words(b)).ShouldBe(similar);

    [Fact]
    public void Dashboard_EncodesHostileTextAndLoadsNothing()
    {
        var run = new MissionRunRecord
        {
            Run = "r1",
            Mission = "m",
            Title = "<script>alert(1)</script>",
            Started = Start,
            Outcome = MissionOutcome.Published,
            ReviewItem = "m",
            Review = ReviewOutcome.Rejected,
            Feedback = ["<img src=x onerror=alert(2)>"],
        };
        var snapshot = new MonitoringSnapshot("repo<b>", Start, [run], [new OpenReviewItem("m", "m", "<iframe src=//evil>", Start, Start, 1, false, false)], [], new Dictionary<string, string>(), []);

        var page = LoopsMonitor.Dashboard(snapshot);

        page.ShouldNotContain("<script");
        page.ShouldNotContain("<img");
        page.ShouldNotContain("<iframe");
        page.ShouldNotContain("http://");
        page.ShouldNotContain("https://");
        page.ShouldContain("&lt;img src=x onerror=alert(2)&gt;");
        page.ShouldContain("<title>Loops dashboard: repo&lt;b&gt;</title>");
    }

    [Fact]
    public void Dashboard_DrawsAgentCostPerDayWithItsTextAlternative()
    {
        MissionRunRecord Run(int day, decimal cost) => new()
        {
            Run = $"r{day}",
            Mission = "agent-fix",
            Kind = "agent",
            Started = Start.AddDays(day),
            Outcome = MissionOutcome.Published,
            AgentUsage = new AgentUsageReport(1, 3, 1000, 200, cost),
        };
        var snapshot = new MonitoringSnapshot("repo", Start.AddDays(3), [Run(0, 0.5m), Run(1, 1.25m), Run(1, 0.25m) with { Run = "r1b" }], [], [], new Dictionary<string, string>(), []);

        var page = LoopsMonitor.Dashboard(snapshot);
        var insights = LoopsMonitor.Insights(snapshot);

        insights.Missions.Single().Cost.ShouldBe(2.0m);
        page.ShouldContain("<desc id=\"cost-chart-desc\">Estimated agent cost per day: 2026-11-01: 0.50; 2026-11-02: 1.50.</desc>");
        page.ShouldContain("<tr><th scope=\"row\">2026-11-02</th><td class=\"num\">2</td><td class=\"num\">2400</td><td class=\"num\">1.50</td></tr>");
    }

    private static RunReport Report(string run, DateTimeOffset started, MissionReport mission) =>
        new() { RunId = run, Repository = "/repo", Started = started, Finished = started.AddMinutes(1), Missions = [mission] };

    private static MissionReport Mission(string id, MissionOutcome outcome) =>
        new() { MissionId = id, Title = id, Kind = "command", Outcome = outcome };

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
