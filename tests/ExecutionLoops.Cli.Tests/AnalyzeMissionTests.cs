using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class AnalyzeMissionTests
{
    private const string Calculator = "namespace Shop;\n\npublic class Calculator\n{\n    public int Twice(int value) => value * 2;\n}\n";

    [Fact]
    public async Task AnalyzeMission_AppliesTheNamedFixes_PassesTheBaselineGate_AndWritesSarif()
    {
        using var repo = Shop(("fix-static", """
            kind: analyze
            on: {manual: true}
            scope: {include: ["src/**"]}
            constraints: {max-files: 5, max-lines: 40, timeout: 10m}
            analyze: {diagnostics: [CA1822], severity: warn}
            gates: [analyzers, diff]
            success: [no new warnings]
            """));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("show", "loops/fix-static:src/Shop/Calculator.cs").ShouldContain("public static int Twice(int value)");
        var report = JsonDocument.Parse(result.Output).RootElement;
        var mission = report.GetProperty("missions")[0];
        mission.GetProperty("gates")[0].GetProperty("summary").GetString()!.ShouldStartWith("no new warnings");
        var sarif = Path.Combine(repo.Root, ".loops", "state", "runs", report.GetProperty("runId").GetString()!, "fix-static.sarif");
        File.Exists(sarif).ShouldBeTrue();
    }

    [Fact]
    public async Task AnalyzersGate_FailsOnANewWarning_NamingFileAndLine()
    {
        using var repo = Shop(("add-method", MissionRepo.Command(
            "printf 'namespace Shop;\\n\\npublic class Pricing\\n{\\n    public int Tax(int value) => value / 5;\\n}\\n' > src/Shop/Pricing.cs",
            gates: "[analyzers]")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var diagnostic = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates")[0].GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("EL3011");
        diagnostic.GetProperty("path").GetString().ShouldBe("src/Shop/Pricing.cs");
        diagnostic.GetProperty("line").GetInt32().ShouldBe(5);
    }

    private static TempGitRepo Shop((string Id, string Brief) mission)
    {
        var repo = MissionRepo.Create(mission);
        repo.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.CA1822.severity = warning\n");
        repo.Write("src/Shop/Shop.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("src/Shop/Calculator.cs", Calculator);
        repo.Write("Shop.slnx", "<Solution>\n  <Project Path=\"src/Shop/Shop.csproj\" />\n</Solution>\n");
        repo.Commit("shop");
        return repo;
    }
}
