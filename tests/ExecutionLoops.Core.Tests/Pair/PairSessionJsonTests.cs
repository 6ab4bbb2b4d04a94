using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Pair;

namespace ExecutionLoops.Core.Tests.Pair;

/// <summary>The hand-written session file codec writes exactly what the serializer wrote, and reads it back whole.</summary>
public sealed class PairSessionJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 50, 2, 345, TimeSpan.Zero);

    private static PairSession Full() => new()
    {
        Id = "20261201-coupons",
        Goal = "Add \"coupon\" discounts <10%> & stack them",
        Criteria = ["tests pass", "no new warnings"],
        Timebox = TimeSpan.FromMinutes(105),
        BriefId = "coupons",
        Started = At,
        Ended = At.AddHours(2).ToOffset(TimeSpan.FromHours(2)),
        StartSnapshot = "4856af5a3767ad7d380da6d4620a165caf6d5032",
        Checkpoints =
        [
            new PairCheckpoint(1, At.AddMinutes(1), "5c4825a", "green", true) { Tree = "d788fef", Head = "8ffcb45" },
            new PairCheckpoint(2, At.AddMinutes(2), "e902d88", "manual", null),
            new PairCheckpoint(3, At.AddMinutes(3), "93162ce", "check", false) { Tree = "7ab6608" },
        ],
        Notes = [new PairNote(At.AddMinutes(5), "Coupons stack after the 10% rule\nsecond line")],
        LastFeedback = new PairFeedback(
            false,
            [Diagnostic.Error("EL3001", "CS0103: The name 'oops' does not exist", "src/Calc.cs", 7, 48)],
            [Diagnostic.Warning("EL3001", "CS0168: unused", null, 0, 0, "Remove it.")],
            true,
            12,
            ["CalcTests.Adds: Assert.Equal() Failure"]),
        BaselineWarnings = 3,
    };

    [Fact]
    public void Serialize_WritesWhatTheSerializerWrote_ForAFullAndAnEmptySession()
    {
        var full = Full();
        var fresh = new PairSession { Id = "s", Goal = "g", Started = At, StartSnapshot = "0" };

        PairSessionJson.Serialize(full).ShouldBe(JsonSerializer.Serialize(full, LoopsJson.Indented));
        PairSessionJson.Serialize(fresh).ShouldBe(JsonSerializer.Serialize(fresh, LoopsJson.Indented));
    }

    [Fact]
    public void Deserialize_ReadsEveryField_AndFilesTheSerializerWrote()
    {
        var full = Full();

        var read = PairSessionJson.Deserialize(JsonSerializer.Serialize(full, LoopsJson.Indented))!;

        JsonSerializer.Serialize(read, LoopsJson.Indented).ShouldBe(JsonSerializer.Serialize(full, LoopsJson.Indented));
        read.Checkpoints[0].Tree.ShouldBe("d788fef");
        read.Checkpoints[1].Green.ShouldBeNull();
        read.LastFeedback!.Errors[0].IsError.ShouldBeTrue();
        read.Timebox.ShouldBe(TimeSpan.FromMinutes(105));
        read.Ended.ShouldBe(full.Ended);
    }

    [Fact]
    public void Deserialize_IgnoresUnknownFieldsAndNameCase_AndRejectsAFileWithoutAnId()
    {
        var read = PairSessionJson.Deserialize("{\"Id\":\"s\",\"GOAL\":\"g\",\"started\":\"2026-12-01T10:50:02+00:00\",\"startSnapshot\":\"0\",\"future\":{\"a\":[1,2]},\"checkpoints\":null}")!;

        read.Id.ShouldBe("s");
        read.Goal.ShouldBe("g");
        read.Checkpoints.ShouldBeEmpty();
        Should.Throw<JsonException>(() => PairSessionJson.Deserialize("{\"goal\":\"g\"}"));
    }
}
