using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_ListsEveryCommandAndTheExitCodes()
    {
        var result = await CliRunner.RunAsync(Path.GetTempPath(), "--help");

        result.ExitCode.ShouldBe(0);
        foreach (var command in new[] { "init", "lint", "schema", "plan", "delegate", "resume", "review", "demo" })
        {
            result.Output.ShouldContain(command);
        }

        result.Output.ShouldContain("2 invalid input");
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithInvalidInput()
    {
        var result = await CliRunner.RunAsync(Path.GetTempPath(), "delegat");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL1033");
    }

    [Fact]
    public async Task Schema_PrintsValidJsonForMissionAndConfig()
    {
        var mission = await CliRunner.RunAsync(Path.GetTempPath(), "schema", "mission");
        var config = await CliRunner.RunAsync(Path.GetTempPath(), "schema", "config");

        JsonDocument.Parse(mission.Output).RootElement.GetProperty("title").GetString().ShouldBe("ExecutionLoops mission brief (front matter)");
        JsonDocument.Parse(config.Output).RootElement.GetProperty("properties").TryGetProperty("base-branch", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Init_ScaffoldsConfigMissionSchemasAndGitignore_ThenLintPasses()
    {
        using var repo = new TempGitRepo();
        repo.Write(".gitignore", "bin/");
        repo.Write("src/Shop/Shop.slnx", "<Solution />\n");

        var result = await CliRunner.RunAsync(repo.Root, "init");

        result.ExitCode.ShouldBe(0);
        repo.Read(".loops/config.yml").ShouldContain("\nsolution: src/Shop/Shop.slnx\n");
        File.Exists(repo.Path(".loops/config.yml")).ShouldBeTrue();
        File.Exists(repo.Path(".loops/schemas/mission.schema.json")).ShouldBeTrue();
        repo.Read(".loops/config.yml").ShouldStartWith("# yaml-language-server: $schema=./schemas/config.schema.json");
        repo.Read(".gitignore").ShouldBe("bin/\n# ExecutionLoops state (journal, logs, review queue) and pair sessions\n.loops/state/\n.loops/pair/\n");
        var lint = await CliRunner.RunAsync(repo.Root, "lint");
        lint.ExitCode.ShouldBe(0, lint.All);
        lint.Output.ShouldContain("1 valid brief(s), 0 error(s), 0 warning(s)");
    }

    [Fact]
    public async Task Init_WithoutASolution_LeavesItOpen_AndLintWarnsBeforeTheFirstDelegateFails()
    {
        using var repo = new TempGitRepo();

        (await CliRunner.RunAsync(repo.Root, "init")).ExitCode.ShouldBe(0);
        var lint = await CliRunner.RunAsync(repo.Root, "lint");

        repo.Read(".loops/config.yml").ShouldContain("# solution: MySolution.sln");
        lint.ExitCode.ShouldBe(0, lint.All);
        lint.Output.ShouldContain("warning EL1013: No .sln, .slnx or project file at the repository root.");
        lint.Output.ShouldContain("1 valid brief(s), 0 error(s), 1 warning(s)");
    }

    [Fact]
    public async Task Init_OutsideAGitRepository_IsEL2001_LikeEveryOtherCommand()
    {
        var folder = Directory.CreateTempSubdirectory("loops-init-nogit-").FullName;
        try
        {
            var result = await CliRunner.RunAsync(folder, "init");

            result.ExitCode.ShouldBe(2, result.All);
            result.Error.ShouldContain("EL2001");
            Directory.Exists(Path.Combine(folder, ".loops")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Lint_CountsBriefFiles_AndSaysHowManyMissionsTheirGroupsMake()
    {
        using var repo = MissionRepo.Create(
            ("bump", "kind: dependencies\non: {manual: true}\nconstraints: {max-files: 5, max-lines: 50, timeout: 5m}\ndependencies: {groups: [{name: tests, include: [\"xunit*\"]}]}\ngates: [diff]\nsuccess: [packages are current]"),
            ("note", MissionRepo.Command("echo x >> notes.txt")));
        repo.Write("App.slnx", "<Solution />\n");
        repo.Commit("a solution");

        var lint = await CliRunner.RunAsync(repo.Root, "lint");

        lint.ExitCode.ShouldBe(0, lint.All);
        lint.Output.ShouldContain("lint: 2 valid brief(s) (3 missions with their groups), 0 error(s), 0 warning(s).");
    }

    [Fact]
    public async Task Init_WhenFilesExist_RefusesAndWritesNothing()
    {
        using var repo = new TempGitRepo();
        repo.Write(".loops/config.yml", "base-branch: main\n");

        var result = await CliRunner.RunAsync(repo.Root, "init");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(".loops/config.yml: error EL1032:");
        repo.Read(".loops/config.yml").ShouldBe("base-branch: main\n");
        Directory.Exists(repo.Path(".loops/missions")).ShouldBeFalse();
        File.Exists(repo.Path(".gitignore")).ShouldBeFalse();
    }

    [Fact]
    public async Task Lint_ReportsEveryProblemOfEveryBriefInCanonicalFormAndExitsTwo()
    {
        using var repo = new TempGitRepo();
        repo.Write(".loops/missions/one.md", "---\nkind: fromat\ngates: [build]\n---\n");
        repo.Write(".loops/missions/two.md", "---\nkind: format\nsucess: [x]\ngates: [build]\n---\n");
        repo.Write(".loops/missions/three.md", "no front matter\n");

        var result = await CliRunner.RunAsync(repo.Root, "lint");

        result.ExitCode.ShouldBe(2);
        result.Output.ShouldContain(".loops/missions/one.md(2,7): error EL1009: Unknown kind 'fromat'. Did you mean 'format'?");
        result.Output.ShouldContain(".loops/missions/two.md(3,1): error EL1004: Unknown key 'sucess' in the brief. Did you mean 'success'?");
        result.Output.ShouldContain(".loops/missions/three.md(1,1): error EL1001:");
    }

    [Fact]
    public async Task Lint_Json_ListsDiagnosticsWithLocations()
    {
        using var repo = new TempGitRepo();
        repo.Write(".loops/missions/one.md", "---\nkind: format\non: {schedule: \"61 * * * *\"}\ngates: [build]\n---\n");

        var result = await CliRunner.RunAsync(repo.Root, "lint", "--json");

        result.ExitCode.ShouldBe(2);
        var document = JsonDocument.Parse(result.Output).RootElement;
        document.GetProperty("errors").GetInt32().ShouldBe(1);
        var cron = document.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("code").GetString() == "EL1008");
        cron.GetProperty("line").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Lint_WorksOutsideAGitRepositoryOnGivenPaths()
    {
        var folder = Directory.CreateTempSubdirectory("loops-lint-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "m.md"), "---\nkind: format\ngates: [build]\nsuccess: [x]\nconstraints: {max-files: 3}\n---\n# M\n");

            var result = await CliRunner.RunAsync(folder, "lint", "m.md");

            result.ExitCode.ShouldBe(0, result.All);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Plan_Json_SaysWhichMissionsAreDueAndWhy()
    {
        using var repo = MissionRepo.Create(("by-hand", MissionRepo.Command("true")), ("weekly", MissionRepo.Command("true").Replace("on: {manual: true}", "on: {schedule: \"0 3 * * 1\"}", StringComparison.Ordinal)));

        var result = await CliRunner.RunAsync(repo.Root, "plan", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        var plan = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        plan["by-hand"].GetProperty("due").GetBoolean().ShouldBeFalse();
        plan["weekly"].GetProperty("due").GetBoolean().ShouldBeTrue();
        plan["weekly"].GetProperty("reason").GetString()!.ShouldContain("never run");
    }

    [Fact]
    public async Task Plan_WhenMissionNameUnknown_ExitsTwoWithKnownIds()
    {
        using var repo = MissionRepo.Create(("by-hand", MissionRepo.Command("true")));

        var result = await CliRunner.RunAsync(repo.Root, "plan", "--mission", "byhand");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("EL1031");
        result.Error.ShouldContain("by-hand");
    }
}
