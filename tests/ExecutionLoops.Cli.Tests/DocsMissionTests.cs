using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class DocsMissionTests
{
    private const string Docs = """
        kind: docs
        on: {manual: true}
        scope: {include: ["docs/**"]}
        constraints: {max-files: 2, max-lines: 50}
        docs:
          regions:
            - {file: docs/guide.md, region: version, command: "echo v1.2.3", fence: text}
            - {file: docs/guide.md, region: data, source: data/table.md}
        gates: [diff]
        success: [the guide shows the current version and table]
        """;

    [Fact]
    public async Task DocsMission_RefreshesRegionsFromCommandAndFile_ThenHasNothingToDo()
    {
        using var repo = MissionRepo.Create(("refresh-guide", Docs));
        repo.Write("docs/guide.md", "# Guide\n\n<!-- loops:begin version -->\nold\n<!-- loops:end -->\n\ntext\n\n<!-- loops:begin data -->\n<!-- loops:end -->\n");
        repo.Write("data/table.md", "| a | b |\n|---|---|\n| 1 | 2 |\n");
        repo.Commit("guide");

        var first = await CliRunner.RunAsync(repo.Root, "delegate", "--all");
        first.ExitCode.ShouldBe(0, first.All);
        repo.Git("show", "loops/refresh-guide:docs/guide.md").ShouldBe("# Guide\n\n<!-- loops:begin version -->\n```text\nv1.2.3\n```\n<!-- loops:end -->\n\ntext\n\n<!-- loops:begin data -->\n| a | b |\n|---|---|\n| 1 | 2 |\n<!-- loops:end -->\n");

        (await CliRunner.RunAsync(repo.Root, "review", "approve", "refresh-guide")).ExitCode.ShouldBe(0);
        var second = await CliRunner.RunAsync(repo.Root, "delegate", "--all");
        second.ExitCode.ShouldBe(0, second.All);
        second.All.ShouldContain("no changes");
    }

    [Fact]
    public async Task DocsMission_WhenTheMarkersAreMissing_FailsNamingTheFileAndRegion()
    {
        using var repo = MissionRepo.Create(("refresh-guide", Docs));
        repo.Write("docs/guide.md", "# Guide without markers\n");
        repo.Write("data/table.md", "x\n");
        repo.Commit("guide");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1);
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("message").GetString().ShouldBe("'docs/guide.md' has no region 'version'.");
    }

    [Theory]
    [InlineData("mission")]
    [InlineData("config")]
    public async Task ThisRepository_SchemaCopiesForEditorsMatchTheTool(string which)
    {
        var printed = await CliRunner.RunAsync(Path.GetTempPath(), "schema", which);

        File.ReadAllText(Path.Combine(TempGitRepo.SourceRoot(), ".loops", "schemas", $"{which}.schema.json")).ShouldBe(printed.Output, "regenerate with: loops schema " + which);
    }

    [Fact]
    public async Task ThisRepository_ItsOwnMissionBriefsLintClean()
    {
        var result = await CliRunner.RunAsync(TempGitRepo.SourceRoot(), "lint");

        result.ExitCode.ShouldBe(0, result.All);
        result.Output.ShouldContain("0 error(s), 0 warning(s)");
    }
}
