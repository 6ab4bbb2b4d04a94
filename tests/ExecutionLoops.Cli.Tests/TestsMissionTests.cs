using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class TestsMissionTests : IDisposable
{
    private readonly string _scripts = VisibleFolder.Create("loops-tests-agent-");

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    [Fact]
    public async Task TestsMission_GivesTheAgentTheUncoveredMembers_AndTheCoverageGateSeesItRise()
    {
        var agent = Path.Combine(_scripts, "agent.sh");
        File.WriteAllText(agent, $$"""
            #!/bin/sh
            echo "=== prompt ==="; cat "$1"; echo "=== end ==="
            cat > tests/Calc.Tests/SubTests.cs <<'CS'
            namespace Calc.Tests;

            public class SubTests
            {
                [Xunit.Fact]
                public void Sub_Subtracts() => Xunit.Assert.Equal(1, Calculator.Sub(3, 2));
            }
            CS
            """);
        var brief = "kind: tests\n"
            + "on: {manual: true}\n"
            + "scope: {include: [\"src/**\", \"tests/**\"]}\n"
            + "constraints: {max-files: 3, max-lines: 40, timeout: 8m}\n"
            + $"agent: {{command: \"sh {agent} {{prompt_file}}\", max-attempts: 1}}\n"
            + "gates: [build, test, {coverage: {mutate: 1}}, diff]\n"
            + "success: [Sub is covered by a test]\n";
        using var repo = MissionRepo.Create(("cover-calc", brief));
        repo.Write("src/Calc/Calc.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("src/Calc/Calculator.cs", "namespace Calc;\n\npublic static class Calculator\n{\n    public static int Add(int a, int b) => a + b;\n\n    public static int Sub(int a, int b) => a - b;\n}\n");
        repo.Write("tests/Calc.Tests/Calc.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                <PackageReference Include="coverlet.collector" Version="10.0.1" />
              </ItemGroup>
              <ItemGroup><ProjectReference Include="../../src/Calc/Calc.csproj" /></ItemGroup>
            </Project>
            """);
        repo.Write("tests/Calc.Tests/AddTests.cs", "namespace Calc.Tests;\n\npublic class AddTests\n{\n    [Xunit.Fact]\n    public void Add_Adds() => Xunit.Assert.Equal(5, Calculator.Add(2, 3));\n}\n");
        repo.Write("Calc.slnx", "<Solution>\n  <Project Path=\"src/Calc/Calc.csproj\" />\n  <Project Path=\"tests/Calc.Tests/Calc.Tests.csproj\" />\n</Solution>\n");
        repo.Commit("calculator");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        AgentMissionTests.MissionLog(repo, "cover-calc").ShouldContain("src/Calc/Calculator.cs:7 Calculator.Sub — 0 of 1 lines covered");
        var gates = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0].GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        gates["coverage"].GetProperty("summary").GetString().ShouldBe("line coverage 50.0% → 100.0% (+50.0); 1 of 1 mutant(s) caught");
        repo.Git("show", "loops/cover-calc:src/Calc/Calculator.cs").ShouldContain("a - b");
        gates["secrets"].GetProperty("status").GetString().ShouldBe("passed");
        repo.Git("show", "loops/cover-calc:tests/Calc.Tests/SubTests.cs").ShouldContain("Sub_Subtracts");
    }
}
