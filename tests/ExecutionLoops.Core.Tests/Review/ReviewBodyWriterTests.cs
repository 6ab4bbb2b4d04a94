using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Review;

public sealed class ReviewBodyWriterTests
{
    private static readonly MissionBrief Brief = new()
    {
        Id = "format-code",
        Kind = "format",
        Title = "Format the code",
        Specification = "# Format the code\n\nRun the formatter | over src.\n\nMore details.",
        SourcePath = "/r/.loops/missions/format-code.md",
        RelativePath = ".loops/missions/format-code.md",
        Success = ["The build and the tests pass", "Every file follows .editorconfig", "Names read well"],
        Review = ReviewSettings.Default with { Issue = 42 },
    };

    [Fact]
    public void Write_TicksCriteriaTheGatesChecked_LinksLogsAndTheIssue_AndSaysHowToAnswer()
    {
        var gates = new[]
        {
            new GateResult("build", GateStatus.Passed, true, TimeSpan.FromSeconds(5), "build succeeded", []),
            new GateResult("format", GateStatus.Failed, false, TimeSpan.FromSeconds(2), "2 files | dirty", []),
        };
        var start = new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
        var stages = new[] { new StageTiming(MissionStage.Toil, start, start.AddSeconds(3), true) };

        var body = ReviewBodyWriter.Write(Brief, gates, ExecutionLoops.Execution.LoopsRegistry.CreateDefault(new ExecutionLoops.Processes.ProcessRunner(), TimeProvider.System).CriterionWords, new DiffStat(2, 10, 9), stages, "run-1", "Answer by carrier pigeon.", "https://ci.example.com/runs/7");

        body.ShouldContain("> Run the formatter | over src.");
        body.ShouldContain("Refs #42");
        body.ShouldContain("- [x] The build and the tests pass (checked by the build gate)");
        body.ShouldContain("- [ ] Every file follows .editorconfig (✗ the format gate failed)");
        body.ShouldContain("- [ ] Names read well (for the reviewer)");
        body.ShouldContain("| format | ✗ | advisory | 2.0s | 2 files \\| dirty | [log](https://ci.example.com/runs/7) |");
        body.ShouldContain("**Change:** +10 −9 in 2 file(s).");
        body.ShouldContain("```mermaid\ngantt");
        body.ShouldContain("Answer by carrier pigeon.");
    }
}
