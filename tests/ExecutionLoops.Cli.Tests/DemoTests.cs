using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>The README's first command, for real: dotnet format, build and test on the embedded sample.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_RunsTheWholeLoopOnTheEmbeddedSample()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"loops-demo-test-{Guid.NewGuid():N}");
        try
        {
            var result = await CliRunner.RunAsync(Path.GetTempPath(), "demo", "--path", folder);

            result.ExitCode.ShouldBe(0, result.All);
            result.Output.ShouldContain("Review queue:");
            result.Output.ShouldContain($"Repository: {folder}");
            var reportLine = result.Output.Split('\n').Single(l => l.StartsWith("Report:", StringComparison.Ordinal));
            var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(reportLine["Report:".Length..].Trim())!, "report.json"))).RootElement;
            var outcomes = report.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("missionId").GetString()!, m => m.GetProperty("outcome").GetString());
            outcomes.ShouldBe(new Dictionary<string, string?> { ["format-code"] = "published", ["stamp-changelog"] = "published", ["write-architecture-notes"] = "gate-failed" });

            // The format mission really formatted the code, and every one of its gates passed.
            var formatted = TempGitRepo.RunGit(folder, "show", "loops/format-code:src/DemoShop/Cart.cs");
            formatted.ShouldContain("public void Add(string sku, decimal price, int quantity = 1)");
            var gates = report.GetProperty("missions")[0].GetProperty("gates").EnumerateArray().Select(g => (g.GetProperty("name").GetString(), g.GetProperty("status").GetString())).ToList();
            gates.ShouldBe([("build", "passed"), ("test", "passed"), ("format", "passed"), ("diff", "passed")]);
            TempGitRepo.RunGit(folder, "status", "--porcelain").ShouldBeEmpty();
        }
        finally
        {
            var worktrees = ExecutionLoops.Execution.StatePaths.For(folder, ".loops/state").WorktreeRoot;
            foreach (var path in new[] { folder, worktrees }.Where(Directory.Exists))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Demo_NoRun_CreatesACommittedSampleRepository()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"loops-demo-norun-{Guid.NewGuid():N}");
        try
        {
            var result = await CliRunner.RunAsync(Path.GetTempPath(), "demo", "--path", folder, "--no-run");

            result.ExitCode.ShouldBe(0, result.All);
            File.Exists(Path.Combine(folder, "DemoShop.sln")).ShouldBeTrue();
            File.Exists(Path.Combine(folder, ".gitignore")).ShouldBeTrue();
            Directory.GetFiles(Path.Combine(folder, ".loops", "missions")).Length.ShouldBe(3);
            TempGitRepo.RunGit(folder, "status", "--porcelain").ShouldBeEmpty();
            (await CliRunner.RunAsync(folder, "lint")).ExitCode.ShouldBe(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_WhenPathIsNotEmpty_RefusesWithoutTouchingIt()
    {
        var folder = Directory.CreateTempSubdirectory("loops-demo-full-").FullName;
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        try
        {
            var result = await CliRunner.RunAsync(Path.GetTempPath(), "demo", "--path", folder);

            result.ExitCode.ShouldBe(2);
            result.Error.ShouldContain("EL1032");
            Directory.GetFileSystemEntries(folder).Length.ShouldBe(1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
