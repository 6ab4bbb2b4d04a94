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
        var document = JsonDocument.Parse(result.Output).RootElement;
        var http = document.GetProperty("dependencies").EnumerateArray().First(r => r.GetProperty("package").GetString() == "Loops.Test.Http");
        (http.GetProperty("requested").GetString(), http.GetProperty("resolved").GetString()).ShouldBe(("2.0.0", "2.0.0"));
        var lines = http.GetProperty("lines");
        (lines.GetProperty("patch").GetString(), lines.TryGetProperty("minor", out _), lines.GetProperty("major").GetString()).ShouldBe(("2.0.5", false, "3.0.0"));
        document.GetProperty("vulnerabilities").GetProperty("available").GetBoolean().ShouldBeTrue();

        var table = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--updates-only");
        table.ExitCode.ShouldBe(0, table.All);
        table.Output.ShouldContain("4 update(s) (1 security) for 4 dependencies in 2 project(s)");
        table.Output.ShouldContain("2.0.5 / - / 3.0.0");
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
        var scan = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "deps", "scan", "--mission", "deps-logging", "--json")).Output).RootElement;
        var missions = scan.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("updates").EnumerateArray().Select(u => $"{u.GetProperty("package").GetString()} {u.GetProperty("candidate").GetString()}").ToList());
        missions.Keys.ShouldBe(["deps", "deps-logging"]);
        missions["deps"].ShouldBe(["Loops.Test.Http 2.0.5", "Loops.Test.Http 2.0.5", "Loops.Test.Json 5.0.1"], ignoreOrder: true);
        missions["deps-logging"].ShouldBe(["Loops.Test.Logging 1.1.0"]);
        var text = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--mission", "deps");
        text.Output.ShouldContain("mission deps (packages in no group): 3 update(s), 0 held back, 3 dependencies");
        text.Output.ShouldContain("mission deps-logging (group logging): 1 update(s), 0 held back, 1 dependencies");

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

    [Fact]
    public async Task DependenciesMission_EditsEveryShape_ConditionalPinsOnTheirOwnLines_UpdateOverrides_PackageDownload_AndFileBasedApps()
    {
        _feed.Add("Loops.Test.Multi", "8.0.0", "8.0.3", "9.0.0", "9.0.2", "10.0.0", "10.0.1", "11.0.0");
        using var repo = MissionRepo.Create(("deps", """
            kind: dependencies
            on: {manual: true}
            scope: {include: ["src/**", "src/Directory.Packages.props", "src/eng/Http.targets"]}
            constraints: {max-files: 10, max-lines: 80, timeout: 5m}
            dependencies:
              update-types: [patch, minor]
            gates: [diff]
            success: [the packages are current]
            """));
        repo.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test" value="{_feed.ServiceIndex}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """);
        var packages = """
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Loops.Test.Http" Version="2.0.0" />
                <PackageVersion Include="Loops.Test.Multi" Version="10.0.0" />
                <PackageVersion Update="Loops.Test.Multi" Version="8.0.0" Condition="'$(TargetFramework)' == 'net8.0'" />
                <PackageVersion Update="Loops.Test.Multi" Version="9.0.0" Condition="'$(TargetFramework)' == 'net9.0'" />
              </ItemGroup>
            </Project>

            """.Replace("\n", "\r\n", StringComparison.Ordinal);
        repo.Write("src/Directory.Packages.props", packages);
        repo.Write("src/Directory.Build.props", "<Project><PropertyGroup><EngDir>$(MSBuildThisFileDirectory)eng/</EngDir></PropertyGroup></Project>\n");
        repo.Write("src/eng/Http.targets", "<Project>\n  <ItemGroup>\n    <PackageReference Update=\"Loops.Test.Http\" VersionOverride=\"2.0.0\" />\n  </ItemGroup>\n</Project>\n");
        repo.Write("src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><Part>Http</Part></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Loops.Test.Http" />
                <PackageReference Include="Loops.Test.Multi" />
                <PackageDownload Include="Loops.Test.Json" Version="[5.0.0]" />
              </ItemGroup>
              <Import Project="$(EngDir)$(Part).targets" />
              <Import Project="$(NotDefinedAnywhere)extra.targets" />
            </Project>

            """);
        repo.Write("src/Tools/build.cs", "#!/usr/bin/env dotnet\n#:package Loops.Test.Logging@1.0.0\n\nSystem.Console.WriteLine(1);\n");
        repo.Commit("projects");

        var scan = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--mission", "deps", "--json");

        scan.ExitCode.ShouldBe(0, scan.All);
        var document = JsonDocument.Parse(scan.Output).RootElement;
        var multi = document.GetProperty("dependencies").EnumerateArray().Where(d => d.GetProperty("package").GetString() == "Loops.Test.Multi")
            .Select(d => (d.GetProperty("current").GetString(), d.GetProperty("candidate").GetString(), d.TryGetProperty("condition", out var condition) ? condition.GetString() : null)).ToList();
        multi.ShouldBe([("10.0.0", "10.0.1", null), ("8.0.0", "8.0.3", "'$(TargetFramework)' == 'net8.0'"), ("9.0.0", "9.0.2", "'$(TargetFramework)' == 'net9.0'")]);
        document.GetProperty("discovery").GetProperty("importsNotFollowed").GetInt32().ShouldBe(1);
        document.GetProperty("discovery").GetProperty("filesRead").GetInt32().ShouldBe(5);
        var warning = document.GetProperty("diagnostics").EnumerateArray().Single();
        (warning.GetProperty("code").GetString(), warning.GetProperty("path").GetString(), warning.GetProperty("line").GetInt32()).ShouldBe(("EL7011", "src/App/App.csproj", 9));
        var text = await CliRunner.RunAsync(repo.Root, "deps", "scan", "--mission", "deps");
        text.Output.ShouldContain("8.0.0 when '$(TargetFramework)' == 'net8.0'");
        text.Output.ShouldContain("read 5 file(s), 1 import(s) not followed.");

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        var body = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "deps", "--json")).Output).RootElement.GetProperty("body").GetString()!;
        body.ShouldContain("| `Loops.Test.Multi` | 8.0.0 | 8.0.3 | patch |", customMessage: body);
        repo.Git("show", "loops/deps:src/Directory.Packages.props").ShouldBe(packages
            .Replace("Version=\"10.0.0\"", "Version=\"10.0.1\"", StringComparison.Ordinal)
            .Replace("Version=\"8.0.0\"", "Version=\"8.0.3\"", StringComparison.Ordinal)
            .Replace("Version=\"9.0.0\"", "Version=\"9.0.2\"", StringComparison.Ordinal));
        repo.Git("show", "loops/deps:src/eng/Http.targets").ShouldContain("<PackageReference Update=\"Loops.Test.Http\" VersionOverride=\"2.0.5\" />");
        repo.Git("show", "loops/deps:src/App/App.csproj").ShouldContain("<PackageDownload Include=\"Loops.Test.Json\" Version=\"[5.0.1]\" />");
        repo.Git("show", "loops/deps:src/Tools/build.cs").ShouldBe("#!/usr/bin/env dotnet\n#:package Loops.Test.Logging@1.1.0\n\nSystem.Console.WriteLine(1);\n");
    }

    [Fact]
    public async Task TwoGroupMissionsEditingOneFile_TheSecondIsRebasedWhenTheFirstIsApproved_AndThenMerges()
    {
        _feed.Add("Loops.Test.Alpha", "1.0.0", "1.1.0").Add("Loops.Test.Beta", "1.0.0", "1.1.0");
        using var repo = MissionRepo.Create(("deps", """
            kind: dependencies
            on: {manual: true}
            scope: {include: ["src/**", "src/Directory.Packages.props"]}
            constraints: {max-files: 5, max-lines: 40, timeout: 5m}
            dependencies:
              groups:
                - {name: alpha, include: ["Loops.Test.Alpha"]}
                - {name: beta, include: ["Loops.Test.Beta"]}
            gates: [diff]
            success: [the packages are current]
            """));
        repo.Write("nuget.config", $"<configuration><packageSources><clear /><add key=\"test\" value=\"{_feed.ServiceIndex}\" allowInsecureConnections=\"true\" /></packageSources></configuration>\n");

        // Adjacent lines: git cannot merge the two bumps once one of them is in the base.
        repo.Write("src/Directory.Packages.props", "<Project>\n  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Loops.Test.Alpha\" Version=\"1.0.0\" />\n    <PackageVersion Include=\"Loops.Test.Beta\" Version=\"1.0.0\" />\n  </ItemGroup>\n</Project>\n");
        repo.Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Loops.Test.Alpha\" /><PackageReference Include=\"Loops.Test.Beta\" /></ItemGroup></Project>\n");
        repo.Commit("projects");
        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);

        var first = await CliRunner.RunAsync(repo.Root, "review", "approve", "deps-alpha");
        var second = await CliRunner.RunAsync(repo.Root, "review", "approve", "deps-beta");

        first.ExitCode.ShouldBe(0, first.All);
        second.ExitCode.ShouldBe(0, second.All);
        second.Output.ShouldContain("Rebased deps-beta onto ");
        second.Output.ShouldContain("(revision 2, gates run again)");
        repo.Git("show", "loops/deps-beta:src/Directory.Packages.props").ShouldContain("\"Loops.Test.Alpha\" Version=\"1.1.0\" />\n    <PackageVersion Include=\"Loops.Test.Beta\" Version=\"1.1.0\"");
        var item = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "deps-beta", "--json")).Output).RootElement;
        item.GetProperty("id").GetString().ShouldBe("deps-beta");

        var merged = await CliRunner.RunAsync(repo.Root, "review", "approve", "deps-beta");

        merged.ExitCode.ShouldBe(0, merged.All);
        merged.Output.ShouldContain("Merged loops/deps-beta");
        repo.Read("src/Directory.Packages.props").ShouldContain("\"Loops.Test.Alpha\" Version=\"1.1.0\" />\n    <PackageVersion Include=\"Loops.Test.Beta\" Version=\"1.1.0\"");
    }

    [Fact]
    public async Task ASourceWithoutVulnerabilityData_AndAWrittenVersionItLacks_AreSaidInTheScanAndTheReviewBody()
    {
        await using var plain = await NuGetFeedEmulator.StartAsync();
        plain.VulnerabilityData = false;
        plain.Add("Loops.Test.Logging", "1.0.0", "1.0.2", "1.1.0");
        using var repo = MissionRepo.Create(("deps", Brief));
        repo.Write("nuget.config", $"<configuration><packageSources><clear /><add key=\"plain\" value=\"{plain.ServiceIndex}\" allowInsecureConnections=\"true\" /></packageSources></configuration>\n");
        repo.Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Loops.Test.Logging\" Version=\"1.0.1\" />\n  </ItemGroup>\n</Project>\n");
        repo.Commit("projects");

        var scan = await CliRunner.RunAsync(repo.Root, "deps", "scan");

        scan.ExitCode.ShouldBe(0, scan.All);
        scan.Error.ShouldContain("src/App/App.csproj(3,61): warning EL7012: 'Loops.Test.Logging' 1.0.1 is not on plain; restore takes 1.0.2 instead (NU1603).");
        scan.Output.ShouldContain("1 update(s) (vulnerability data: not available from these sources) for 1 dependencies");
        scan.Output.ShouldNotContain("security)");

        (await CliRunner.RunAsync(repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var body = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "show", "deps", "--json")).Output).RootElement.GetProperty("body").GetString()!;
        body.ShouldContain("Vulnerability data: not available from these sources");
        body.ShouldContain("| `Loops.Test.Logging` | 1.0.1 (restores 1.0.2) | 1.1.0 | minor |");
        repo.Git("show", "loops/deps:src/App/App.csproj").ShouldContain("Version=\"1.1.0\"");
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
