using System.Text;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Dependencies;

/// <summary>Repository shapes the scanner used to miss or misstate: property-path imports, conditional pins, Update+VersionOverride, PackageDownload, file-based apps.</summary>
public sealed class DependencyDiscoveryShapesTests : IDisposable
{
    private readonly TempGitRepo _repo = new(initialCommit: false);

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void ImportsWithPropertiesInThePath_AreEvaluatedAlongTheChain_InOrder()
    {
        _repo.Write("Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <RepoRoot Condition="'$(RepoRoot)' == ''">$(MSBuildThisFileDirectory)</RepoRoot>
                <EngDir>$(RepoRoot)eng/</EngDir>
              </PropertyGroup>
              <Import Project="$(EngDir)optional.props" Condition="Exists('$(EngDir)optional.props')" />
            </Project>
            """);
        _repo.Write("eng/Test.targets", """
            <Project>
              <PropertyGroup>
                <CommonDir>$(MSBuildThisFileDirectory)common/</CommonDir>
              </PropertyGroup>
              <Import Project="$(CommonDir)stack.props" />
              <ItemGroup>
                <PackageReference Include="xunit" Version="2.9.0" />
              </ItemGroup>
            </Project>
            """);
        _repo.Write("eng/common/stack.props", """<Project><ItemGroup><PackageReference Include="Shouldly" Version="4.2.1" /></ItemGroup></Project>""");
        _repo.Write("eng/Lib.targets", """<Project><ItemGroup><PackageReference Include="Polly" Version="8.0.0" /></ItemGroup></Project>""");
        _repo.Write("tests/T/T.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <ProjectType>Test</ProjectType>
              </PropertyGroup>
              <Import Project="$(RepoRoot)eng/$(ProjectType).targets" />
              <Import Project="$(MSBuildProjectDirectory)/../../eng/Lib.targets" Condition="Exists('$(RepoRoot)eng/Lib.targets') and '$(ProjectType)' != 'Lib'" />
              <Import Project="$(MSBuildToolsPath)\Microsoft.CSharp.targets" />
            </Project>
            """);

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        inventory.Diagnostics.ShouldBeEmpty();
        var xunit = inventory.Dependencies.Single(d => d.PackageId == "xunit");
        (xunit.Site.File, xunit.Site.Line, xunit.Projects.Single()).ShouldBe(("eng/Test.targets", 7, "tests/T/T.csproj"));
        inventory.Dependencies.Single(d => d.PackageId == "Shouldly").Site.File.ShouldBe("eng/common/stack.props");
        inventory.Dependencies.Single(d => d.PackageId == "Polly").Site.File.ShouldBe("eng/Lib.targets");
        inventory.UnfollowedImports.ShouldBe(0);
        inventory.FilesRead.ShouldBe(5);
    }

    [Fact]
    public void ImportPathsFromEnvironmentVariables_AreFollowed()
    {
        var variable = $"LOOPS_TEST_ENG_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, _repo.Path("shared") + "/");
        try
        {
            _repo.Write("shared/pkgs.props", """<Project><ItemGroup><PackageReference Include="Serilog" Version="3.0.0" /></ItemGroup></Project>""");
            _repo.Write("src/A/A.csproj", $"""<Project Sdk="Microsoft.NET.Sdk"><Import Project="$({variable})pkgs.props" /></Project>""");

            var inventory = DependencyDiscovery.Discover(_repo.Root);

            inventory.Diagnostics.ShouldBeEmpty();
            inventory.Dependencies.Single().Site.File.ShouldBe("shared/pkgs.props");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void ImportsThatCannotBeEvaluated_AreEL7011WarningsAtTheImport_NeverSilent()
    {
        _repo.Write("eng/net8.targets", """<Project><ItemGroup><PackageReference Include="Polly" Version="8.0.0" /></ItemGroup></Project>""");
        _repo.Write("src/A/A.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="$(UndefinedRoot)eng/deps.targets" />
              <Import Project="../../eng/net8.targets" Condition="'$(TargetFramework)' == 'net8.0'" />
              <Import Project="$([System.IO.Path]::Combine('a', 'b.props'))" />
              <Import Project="../../eng/missing.targets" />
              <ItemGroup><PackageReference Include="Serilog" Version="3.0.0" /></ItemGroup>
            </Project>
            """);

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        var warnings = inventory.Diagnostics.OrderBy(d => d.Line).ToList();
        warnings.ShouldAllBe(d => d.Code == DiagnosticCodes.ImportNotFollowed && d.Severity == DiagnosticSeverity.Warning && d.Path == "src/A/A.csproj");
        warnings.Select(d => (d.Line, d.Column)).ShouldBe([(2, 20), (3, 20), (4, 20), (5, 20)]);
        warnings[0].Message.ShouldContain("$(UndefinedRoot) is not defined");
        warnings[1].Message.ShouldContain("'$(TargetFramework)' == 'net8.0'");
        warnings[3].Message.ShouldContain("'eng/missing.targets' does not exist");
        inventory.UnfollowedImports.ShouldBe(4);
        inventory.Dependencies.Single().PackageId.ShouldBe("Serilog");
    }

    [Fact]
    public void ConditionalPins_AreEachTheirOwnSite_WithTheirCondition_AndEditedOnTheirOwn()
    {
        var props = """
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Microsoft.Extensions.Logging" Version="10.0.0" />
              </ItemGroup>
              <ItemGroup Condition="'$(TargetFramework)' == 'net8.0'">
                <PackageVersion Update="Microsoft.Extensions.Logging" Version="8.0.0" />
              </ItemGroup>
              <ItemGroup>
                <PackageVersion Update="Microsoft.Extensions.Logging" Version="9.0.0" Condition="'$(TargetFramework)' == 'net9.0'" />
                <PackageVersion Update="Microsoft.Extensions.Logging" Version="10.0.0" Condition="'$(TargetFramework)' == 'net10.0'" />
              </ItemGroup>
            </Project>

            """.Replace("\n", "\r\n", StringComparison.Ordinal);
        _repo.Write("Directory.Packages.props", props);
        _repo.Write("src/A/A.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.Extensions.Logging" /></ItemGroup></Project>""");

        var sites = DependencyDiscovery.Discover(_repo.Root).Dependencies.Select(d => d.Site).ToList();

        sites.Select(s => (s.Line, s.Text, s.Condition)).ShouldBe([
            (4, "10.0.0", null),
            (7, "8.0.0", "'$(TargetFramework)' == 'net8.0'"),
            (10, "9.0.0", "'$(TargetFramework)' == 'net9.0'"),
            (11, "10.0.0", "'$(TargetFramework)' == 'net10.0'")]);
        var (_, problem) = VersionEditor.Apply(_repo.Root, [(sites[2], "9.0.5")]);
        problem.ShouldBeNull();
        _repo.Read("Directory.Packages.props").ShouldBe(props.Replace("Version=\"9.0.0\"", "Version=\"9.0.5\"", StringComparison.Ordinal));
    }

    [Fact]
    public void UpdateItemsWithVersionOverride_AreSites_WhereTheyAreWritten()
    {
        _repo.Write("Directory.Packages.props", """
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup><PackageVersion Include="Serilog" Version="3.0.0" /></ItemGroup>
            </Project>
            """);
        _repo.Write("Directory.Build.targets", """
            <Project>
              <ItemGroup>
                <PackageReference Update="Serilog" VersionOverride="8.0.1" />
              </ItemGroup>
            </Project>
            """);
        _repo.Write("src/A/A.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Update="Serilog" VersionOverride="1.0.0" /><PackageReference Include="Serilog" /></ItemGroup></Project>""");

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        var serilog = inventory.Dependencies.ShouldHaveSingleItem();
        (serilog.Kind, serilog.Site.File, serilog.Site.Line, serilog.Site.Text).ShouldBe((DependencyKind.VersionOverride, "Directory.Build.targets", 3, "8.0.1"));
    }

    [Fact]
    public void PackageDownload_ExactVersions_AreSites_AndTheEditKeepsTheBrackets()
    {
        var project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageDownload Include="Microsoft.NETCore.App.Ref" Version="[1.2.3]" />
                <PackageDownload Include="Two.Lines" Version="[1.0.0];[2.0.0]" />
              </ItemGroup>
            </Project>
            """;
        _repo.Write("src/A/A.csproj", project);

        var dependencies = DependencyDiscovery.Discover(_repo.Root).Dependencies;

        dependencies.ShouldAllBe(d => d.Kind == DependencyKind.PackageDownload);
        dependencies.Select(d => (d.PackageId, d.Site.Text, d.Site.Line, d.Site.Column)).ShouldBe([
            ("Microsoft.NETCore.App.Ref", "1.2.3", 3, 68),
            ("Two.Lines", "1.0.0", 4, 52),
            ("Two.Lines", "2.0.0", 4, 60)]);
        VersionEditor.Apply(_repo.Root, [(dependencies[0].Site, "1.2.4"), (dependencies[2].Site, "2.0.1")]).Problem.ShouldBeNull();
        _repo.Read("src/A/A.csproj").ShouldBe(project.Replace("[1.2.3]", "[1.2.4]", StringComparison.Ordinal).Replace("[2.0.0]", "[2.0.1]", StringComparison.Ordinal));
    }

    [Fact]
    public void FileBasedApps_PackageAndSdkDirectives_AreSites_InTheLeadingLinesOnly()
    {
        var app = "#!/usr/bin/env dotnet\r\n// build script\r\n#:sdk Cake.Sdk@6.2.0\r\n#:package Humanizer@2.14.1\r\n#:package Unversioned\r\n#:property LangVersion=preview\r\n\r\nConsole.WriteLine(\"hi\");\r\n#:package Late@1.0.0\r\n";
        File.WriteAllBytes(_repo.Path("build.cs"), [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(app)]);
        _repo.Write("tools/deep/run.cs", "#:package Serilog@3.0.0\nreturn 0;\n");
        _repo.Write("src/A/Program.cs", "namespace A;\n// #:package NotADirective@1.0.0\n");
        _repo.Write("src/A/bin/Debug/gen.cs", "#:package Hidden@1.0.0\n");

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        inventory.Dependencies.Select(d => (d.PackageId, d.Kind, d.Site.File, d.Site.Line, d.Site.Column, d.Site.Text)).ShouldBe([
            ("Cake.Sdk", DependencyKind.MSBuildSdk, "build.cs", 3, 16, "6.2.0"),
            ("Humanizer", DependencyKind.PackageReference, "build.cs", 4, 21, "2.14.1"),
            ("Serilog", DependencyKind.PackageReference, "tools/deep/run.cs", 1, 19, "3.0.0")]);
        inventory.Dependencies[1].Projects.ShouldBe(["build.cs"]);
        inventory.Projects.ShouldBe(["build.cs", "tools/deep/run.cs"], ignoreOrder: true);
        inventory.Unresolved.ShouldHaveSingleItem().PackageId.ShouldBe("Unversioned");

        VersionEditor.Apply(_repo.Root, inventory.Dependencies.Take(2).Select(d => (d.Site, d.PackageId == "Humanizer" ? "2.14.10" : "6.3.0"))).Problem.ShouldBeNull();
        File.ReadAllBytes(_repo.Path("build.cs")).ShouldBe([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(app.Replace("@6.2.0", "@6.3.0", StringComparison.Ordinal).Replace("@2.14.1", "@2.14.10", StringComparison.Ordinal))]);
    }
}
