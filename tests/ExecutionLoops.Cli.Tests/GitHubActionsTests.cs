using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.GitHub.Actions;

namespace ExecutionLoops.Cli.Tests;

public sealed class GitHubActionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loops-gha-").FullName;
    private readonly StringWriter _commands = new();

    private string SummaryFile => Path.Combine(_folder, "summary.md");

    private string OutputFile => Path.Combine(_folder, "output.txt");

    private GitHubActionsReporter Reporter() => new(_commands, SummaryFile, OutputFile);

    public void Dispose()
    {
        _commands.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Annotate_WritesErrorCommandWithEscapedLocationAndMessage()
    {
        Reporter().Annotate(Diagnostic.Error("EL1004", "Unknown key 'a:b'\nsecond line 100%", "dir,x/m.md", 3, 5, "Did you mean 'c'?"));

        _commands.ToString().ShouldBe("::error file=dir%2Cx/m.md,line=3,col=5,title=EL1004::Unknown key 'a:b'%0Asecond line 100%25 Did you mean 'c'?\n");
    }

    [Fact]
    public void OutputsAndSummary_GoToTheirFilesWithHeredocForMultilineValues()
    {
        var reporter = Reporter();

        reporter.Output("count", "2");
        reporter.Output("body", "line one\nline two");
        reporter.Summary("# Run");
        using (reporter.Group("mission a"))
        {
            reporter.Mask("s3cret-value");
        }

        var outputs = File.ReadAllText(OutputFile);
        outputs.ShouldStartWith("count=2\nbody<<loops_");
        outputs.ShouldContain("\nline one\nline two\nloops_");
        File.ReadAllText(SummaryFile).ShouldBe("# Run\n");
        _commands.ToString().ShouldBe("::group::mission a\n::add-mask::s3cret-value\n::endgroup::\n");
    }

    [Fact]
    public async Task Delegate_OnActions_AnnotatesGroupsSummarisesAndSetsOutputs()
    {
        using var repo = MissionRepo.Create(
            ("append-note", MissionRepo.Command("echo changed >> notes.txt")),
            ("blocked", MissionRepo.Command("echo x >> other.txt", gates: "[diff, {command: {run: \"exit 4\"}}]")));

        var result = await CliRunner.RunAsync(repo.Root, Reporter(), "delegate", "--all");

        result.ExitCode.ShouldBe(1);
        var commands = _commands.ToString();
        commands.ShouldContain("::group::mission append-note\n");
        commands.ShouldContain("::endgroup::");
        commands.ShouldContain("::error title=EL3006::Command gate 'exit 4' failed with exit code 4.");
        File.ReadAllText(SummaryFile).ShouldContain("| append-note | command | ✓ published |");
        var outputs = File.ReadAllText(OutputFile);
        outputs.ShouldContain("review-items=append-note\n");
        outputs.ShouldContain("result={");
    }

    [Fact]
    public async Task PlanGithubMatrix_ListsTheDueMissions()
    {
        using var repo = MissionRepo.Create(("a", MissionRepo.Command("true")), ("b", MissionRepo.Command("true")));

        var result = await CliRunner.RunAsync(repo.Root, Reporter(), "plan", "--mission", "b", "--format", "github-matrix");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.Trim().ShouldBe("{\"include\":[{\"mission\":\"b\",\"kind\":\"command\"}]}");
        File.ReadAllText(OutputFile).ShouldContain("count=1\n");
    }

    [Fact]
    public async Task ReportMerge_CombinesPerJobReportsIntoOneSummary()
    {
        using var first = MissionRepo.Create(("one", MissionRepo.Command("echo 1 >> a.txt")));
        using var second = MissionRepo.Create(("two", MissionRepo.Command("echo 2 >> b.txt")));
        (await CliRunner.RunAsync(first.Root, "delegate", "--all", "--report", Path.Combine(_folder, "job1", "report.json"))).ExitCode.ShouldBe(0);
        (await CliRunner.RunAsync(second.Root, "delegate", "--all", "--report", Path.Combine(_folder, "job2", "report.json"))).ExitCode.ShouldBe(0);

        var merged = await CliRunner.RunAsync(_folder, Reporter(), "report", "merge", "job1", "job2", "--output", "merged.json");

        merged.ExitCode.ShouldBe(0, merged.All);
        var missions = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "merged.json"))).RootElement.GetProperty("missions").EnumerateArray().Select(m => m.GetProperty("missionId").GetString()).ToList();
        missions.ShouldBe(["one", "two"], ignoreOrder: true);
        File.ReadAllText(SummaryFile).ShouldContain("2 mission(s): 2 published");
    }

    [Fact]
    public async Task ReportMerge_WhenAFileIsNotAReport_ExitsTwo()
    {
        File.WriteAllText(Path.Combine(_folder, "bad.json"), "{ not json");

        var result = await CliRunner.RunAsync(_folder, "report", "merge", "bad.json");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("is not a loops JSON report");
    }
}
