using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Planning;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Planning;

public sealed class PlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly Planner _planner = new(new FakeTimeProvider(Now));

    private static MissionBrief Brief(string id, string? schedule = null, MissionLoop loop = MissionLoop.Delegate) => new()
    {
        Id = id,
        Kind = "format",
        Loop = loop,
        Trigger = new MissionTrigger(schedule, schedule is null),
        Title = id,
        SourcePath = $"/repo/.loops/missions/{id}.md",
        RelativePath = $".loops/missions/{id}.md",
    };

    [Fact]
    public void Plan_WhenScheduledMissionNeverRan_IsDue()
    {
        var plan = _planner.Plan([Brief("weekly", "0 3 * * 1")], new Dictionary<string, DateTimeOffset>(), PlanRequest.Scheduled);

        plan.Single().Due.ShouldBeTrue();
        plan.Single().Reason.ShouldContain("never run");
    }

    [Fact]
    public void Plan_WhenNextOccurrenceAfterLastSuccessHasPassed_IsDue()
    {
        // Monday 2026-11-23 03:00 is the first occurrence after the previous Monday's success.
        var last = new Dictionary<string, DateTimeOffset> { ["weekly"] = new(2026, 11, 16, 3, 5, 0, TimeSpan.Zero) };

        var plan = _planner.Plan([Brief("weekly", "0 3 * * 1")], last, PlanRequest.Scheduled).Single();

        plan.Due.ShouldBeTrue();
        plan.NextDue.ShouldBe(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Plan_WhenRanSinceLastOccurrence_IsNotDueAndSaysWhenNext()
    {
        var last = new Dictionary<string, DateTimeOffset> { ["weekly"] = new(2026, 11, 23, 3, 1, 0, TimeSpan.Zero) };

        var plan = _planner.Plan([Brief("weekly", "0 3 * * 1")], last, PlanRequest.Scheduled).Single();

        plan.Due.ShouldBeFalse();
        plan.Reason.ShouldContain("2026-11-30 03:00Z");
    }

    [Fact]
    public void Plan_WhenManualMissionNotNamed_IsNotDue()
    {
        var plan = _planner.Plan([Brief("by-hand")], new Dictionary<string, DateTimeOffset>(), PlanRequest.Scheduled).Single();

        plan.Due.ShouldBeFalse();
        plan.Reason.ShouldContain("--mission by-hand");
    }

    [Fact]
    public void Plan_WhenMissionsNamed_RunsOnlyThoseIncludingManualOnes()
    {
        var plan = _planner.Plan([Brief("by-hand"), Brief("weekly", "0 3 * * 1")], new Dictionary<string, DateTimeOffset>(), new PlanRequest(["by-hand"], false));

        plan.Single(p => p.Brief.Id == "by-hand").Due.ShouldBeTrue();
        plan.Single(p => p.Brief.Id == "weekly").Due.ShouldBeFalse();
    }

    [Fact]
    public void Plan_WhenAll_RunsEveryDelegatedMissionButNoPairBrief()
    {
        var plan = _planner.Plan([Brief("by-hand"), Brief("session", loop: MissionLoop.Pair)], new Dictionary<string, DateTimeOffset>(), new PlanRequest([], true));

        plan.Single(p => p.Brief.Id == "by-hand").Due.ShouldBeTrue();
        plan.Single(p => p.Brief.Id == "session").Due.ShouldBeFalse();
    }

    [Fact]
    public void Plan_WhenNamedMissionUnknown_ThrowsInvalidInputListingKnownIds()
    {
        var ex = Should.Throw<LoopsException>(() => _planner.Plan([Brief("format-code")], new Dictionary<string, DateTimeOffset>(), new PlanRequest(["fromat-code"], false)));

        ex.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        ex.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.UnknownMission);
        ex.Diagnostics.Single().ToString().ShouldContain("format-code");
    }
}
