using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class FormatMissionTests
{
    private const string CSharpierManifest = """{"version": 1, "isRoot": true, "tools": {"csharpier": {"version": "1.3.0", "commands": ["csharpier"]}}}""";

    [Fact]
    public async Task FormatMission_UsesCSharpier_WhenTheToolManifestHasIt_OnlyInScope()
    {
        using var repo = MissionRepo.Create(("tidy", """
            kind: format
            on: {manual: true}
            scope: {include: ["src/**"]}
            constraints: {max-files: 5, max-lines: 50, timeout: 5m}
            gates: [format, diff]
            success: [the code is formatted]
            """));
        repo.Write(".config/dotnet-tools.json", CSharpierManifest);
        repo.Write("src/A.cs", "class A{void M(){int x=1;}}\n");
        repo.Write("samples/B.cs", "class B{}\n");
        repo.Commit("code");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("show", "loops/tidy:src/A.cs").ShouldBe("class A\n{\n    void M()\n    {\n        int x = 1;\n    }\n}\n");
        repo.Git("show", "loops/tidy:samples/B.cs").ShouldBe("class B{}\n");
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("gates")[0].GetProperty("summary").GetString().ShouldBe("1 changed C# file(s) are formatted");
    }

    [Fact]
    public async Task FormatGate_ChecksOnlyChangedCSharpFiles_WithoutLoadingTheSolution()
    {
        using var repo = MissionRepo.Create(
            ("docs-only", MissionRepo.Command("echo note >> README.md", gates: "[format]")),
            ("messy-code", MissionRepo.Command("printf 'class C\\n{\\n        int x;\\n}\\n' > src/C.cs", gates: "[format]")));
        repo.Write("README.md", "# readme\n");
        repo.Write("src/Old.cs", "class Old{   }\n");
        repo.Commit("content");

        var docs = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "docs-only", "--json");
        var messy = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "messy-code", "--json");

        docs.ExitCode.ShouldBe(0, docs.All);
        JsonDocument.Parse(docs.Output).RootElement.GetProperty("missions")[0].GetProperty("gates")[0].GetProperty("summary").GetString().ShouldBe("no C# files changed");
        messy.ExitCode.ShouldBe(1, messy.All);
        var gate = JsonDocument.Parse(messy.Output).RootElement.GetProperty("missions")[0].GetProperty("gates")[0];
        gate.GetProperty("summary").GetString()!.ShouldContain("src/C.cs");
        gate.GetProperty("summary").GetString()!.ShouldNotContain("Old.cs");
    }

    [Fact]
    public async Task AWhitespaceFormatMission_NeedsNoRestore_AndAFailingRestoreIsNamedByTheBuildGate()
    {
        // A package no source has: restore fails, so anything that loads the solution fails too.
        const string Project = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=\"Nope.Missing.Package\" Version=\"1.0.0\" /></ItemGroup></Project>\n";
        using var repo = MissionRepo.Create(
            ("tidy", "kind: format\non: {manual: true}\nscope: {include: [\"src/**\"]}\nconstraints: {max-files: 5, max-lines: 50, timeout: 5m}\ngates: [format, diff]\nsuccess: [the code is formatted]"),
            ("build-it", MissionRepo.Command("echo x >> src/notes.txt", gates: "[build]")));
        var feed = Directory.CreateTempSubdirectory("loops-empty-feed-").FullName;
        repo.Write("nuget.config", $"<configuration><packageSources><clear /><add key=\"empty\" value=\"{feed}\" /></packageSources></configuration>\n");
        repo.Write("src/App/App.csproj", Project);
        repo.Write("src/App/A.cs", "class A\n{\n        int x;\n}\n");
        repo.Write("App.slnx", "<Solution>\n  <Project Path=\"src/App/App.csproj\" />\n</Solution>\n");
        repo.Commit("a project that does not restore");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");
        Directory.Delete(feed, recursive: true);

        var missions = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("missionId").GetString()!);
        missions["tidy"].GetProperty("outcome").GetString().ShouldBe("published", result.All);
        missions["tidy"].GetProperty("toil").GetString()!.ShouldContain("folder mode: no restore");
        repo.Git("show", "loops/tidy:src/App/A.cs").ShouldBe("class A\n{\n    int x;\n}\n");
        var build = missions["build-it"].GetProperty("gates")[0];
        build.GetProperty("summary").GetString()!.ShouldContain("NU1101");
        var error = build.GetProperty("diagnostics")[0];
        (error.GetProperty("code").GetString(), error.GetProperty("path").GetString()).ShouldBe(("EL3001", "src/App/App.csproj"));
    }

    [Fact]
    public async Task AFailingToil_ShowsTheEndOfItsOutputAndWhereTheWholeLogIs()
    {
        using var repo = MissionRepo.Create(("broken", MissionRepo.Command("echo first line; echo the real reason; exit 4")));

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(1, result.All);
        result.Output.ShouldContain("  | the real reason");
        result.Output.ShouldContain("  full log: ");
        result.Output.ShouldContain("broken.log");
    }
}
