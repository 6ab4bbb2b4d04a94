using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class DependenciesMissionTests : IAsyncLifetime
{
    private NuGetFeedEmulator _feed = null!;

    public async Task InitializeAsync()
    {
        _feed = await NuGetFeedEmulator.StartAsync();
        _feed.Add("Loops.Test.Logging", "1.0.0");
        _feed.Add("Loops.Test.Logging", "1.1.0", repositoryUrl: "https://example.org/logging", releaseNotes: "https://example.org/logging/releases/1.1.0");
        _feed.Add("Loops.Test.Http", "2.0.0", "2.0.5", "3.0.0");
        _feed.Add("Loops.Test.Json", "5.0.0", "5.0.1", "6.0.0").Vulnerable("Loops.Test.Json", "[5.0.0, 5.0.1)", severity: 3);
    }

    public async Task DisposeAsync() => await _feed.DisposeAsync();

    [Fact]
    public async Task DepsScan_ReportsEveryDependencyWithItsCandidateAndReason_WithoutChangingAnything()
    {
        using var repo = Repository();

        var result = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        var rows = JsonDocument.Parse(result.Output).RootElement.GetProperty("dependencies").EnumerateArray()
            .DistinctBy(r => r.GetProperty("package").GetString())
            .ToDictionary(r => r.GetProperty("package").GetString()!, r => (Candidate: r.GetProperty("candidate").GetString(), Reason: r.GetProperty("reason").GetString()!));
        rows["Loops.Test.Logging"].Candidate.ShouldBe("1.1.0");
        rows["Loops.Test.Http"].ShouldBe(("3.0.0", "major update"));
        rows["Loops.Test.Json"].Candidate.ShouldBe("5.0.1");
        rows["Loops.Test.Json"].Reason.ShouldStartWith("security: vulnerable (critical ");
        repo.Git("status", "--porcelain").ShouldBeEmpty();

        var table = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--updates-only");
        table.ExitCode.ShouldBe(0, table.All);
        table.Output.ShouldContain("4 update(s) (1 security) for 4 dependencies in 2 project(s)");
    }

    [Fact]
    public async Task DependenciesMission_WithAGroup_OpensOneReviewItemPerGroup_WithExactEditsAndARefreshedLockFile()
    {
        using var repo = Repository("""
            kind: dependencies
            on: {manual: true}
            scope: {include: ["src/**"]}
            constraints: {max-files: 5, max-lines: 80, timeout: 5m}
            dependencies:
              update-types: [patch, minor]
              groups:
                - {name: logging, include: ["Loops.Test.Logging"]}
            gates: [diff]
            success: [the packages are current]
            """);
        var before = repo.Read("src/App/App.csproj");

        var plan = await CliRunner.RunAsync(repo.Root, "plan", "--json", "--all");
        plan.Output.ShouldContain("\"deps-logging\"");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        repo.Git("show", "loops/deps-logging:src/App/App.csproj").ShouldBe(before.Replace("Include=\"Loops.Test.Logging\" Version=\"1.0.0\"", "Include=\"Loops.Test.Logging\" Version=\"1.1.0\"", StringComparison.Ordinal));
        repo.Git("show", "loops/deps-logging:src/App/packages.lock.json").ShouldContain("\"resolved\": \"1.1.0\"");
        repo.Git("show", "loops/deps:src/App/App.csproj").ShouldBe(before.Replace("Version=\"5.0.0\"", "Version=\"5.0.1\"", StringComparison.Ordinal).Replace("Version=\"2.0.0\"", "Version=\"2.0.5\"", StringComparison.Ordinal));
        repo.Git("show", "loops/deps:src/Lib/Lib.csproj").ShouldContain("Version=\"2.0.5\"");

        var item = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "deps-logging", "--json")).Output).RootElement;
        var body = item.GetProperty("body").GetString()!;
        body.ShouldContain("| `Loops.Test.Logging` | 1.0.0 | 1.1.0 | minor | `src/App/App.csproj` | [repository](https://example.org/logging); [project](https://example.org/Loops.Test.Logging); [release notes](https://example.org/logging/releases/1.1.0) |");
        var rest = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "deps", "--json")).Output).RootElement.GetProperty("body").GetString()!;
        rest.ShouldContain("| `Loops.Test.Json` | 5.0.0 | 5.0.1 | security |");
        rest.ShouldContain("| `Loops.Test.Http` | 2.0.0 | 2.0.5 | patch | `src/App/App.csproj`, `src/Lib/Lib.csproj` |");
        rest.ShouldNotContain("Loops.Test.Logging");
    }

    [Fact]
    public async Task DependenciesMission_WhenTheOnlyFeedIsDown_FailsWithTheSourceNamed_AndPublishesNothing()
    {
        using var repo = Repository(Brief, feedUrl: "http://127.0.0.1:9/v3/index.json");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(1, result.All);
        var mission = JsonDocument.Parse(result.Output).RootElement.GetProperty("missions")[0];
        mission.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("EL7003");
        mission.GetProperty("diagnostics")[0].GetProperty("message").GetString()!.ShouldContain("Package source 'test'");
        (await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task DepsScan_ExitCodes_SayWhatWentWrong_AndTheRestIsStillReported()
    {
        using var repo = Repository();
        repo.Write("src/Broken/Broken.csproj", "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"X\" Version=\"1.0.0\">\n</Project>\n");

        var malformed = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--json");

        malformed.ExitCode.ShouldBe(2, malformed.All);
        var document = JsonDocument.Parse(malformed.Output).RootElement;
        var problem = document.GetProperty("diagnostics")[0];
        (problem.GetProperty("code").GetString(), problem.GetProperty("path").GetString(), problem.GetProperty("line").GetInt32()).ShouldBe(("EL7001", "src/Broken/Broken.csproj", 4));
        document.GetProperty("dependencies").EnumerateArray().ShouldContain(d => d.GetProperty("package").GetString() == "Loops.Test.Logging" && d.GetProperty("candidate").GetString() == "1.1.0");

        using var offline = Repository(feedUrl: "http://127.0.0.1:9/v3/index.json");
        var unreachable = await CliRunner.RunAsync(offline.Root, "deps", "scan");
        unreachable.ExitCode.ShouldBe(3, unreachable.All);
        unreachable.Error.ShouldContain("error EL7003: Package source 'test'");
    }

    private const string Brief = """
        kind: dependencies
        on: {manual: true}
        scope: {include: ["src/**"]}
        constraints: {max-files: 5, max-lines: 80, timeout: 5m}
        gates: [diff]
        success: [the packages are current]
        """;

    private TempGitRepo Repository(string brief = Brief, string? feedUrl = null)
    {
        var repo = MissionRepo.Create(("deps", brief));
        repo.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test" value="{feedUrl ?? _feed.ServiceIndex}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """);
        repo.Write("src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>
              </PropertyGroup>
              <ItemGroup>
                <!-- logging first -->
                <PackageReference Include="Loops.Test.Logging" Version="1.0.0" />
                <PackageReference Include="Loops.Test.Http" Version="2.0.0" />
                <PackageReference Include="Loops.Test.Json" Version="5.0.0" />
              </ItemGroup>
            </Project>

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        repo.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=\"Loops.Test.Http\" Version=\"2.0.0\" /></ItemGroup></Project>\n");
        if (feedUrl is null)
        {
            TempGitRepo.RunGit(repo.Root, "add", "-A");
            var restore = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(CliRunner.DotnetHost, ["restore", "src/App/App.csproj", "-v:q"]) { WorkingDirectory = repo.Root, RedirectStandardOutput = true })!;
            restore.StandardOutput.ReadToEnd();
            restore.WaitForExit();
            restore.ExitCode.ShouldBe(0);
        }

        repo.Commit("projects");
        return repo;
    }
}
