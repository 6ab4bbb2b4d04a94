using System.Text;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Dependencies;

public sealed class DependencyDiscoveryTests : IDisposable
{
    private readonly TempGitRepo _repo = new(initialCommit: false);

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void CentralPackageManagement_VersionsLiveInDirectoryPackagesProps_WithOverridesAndGlobals()
    {
        _repo.Write("Directory.Packages.props", """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Serilog" Version="3.0.0" />
                <PackageVersion Include="Polly" Version="7.2.0" />
                <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.0" />
              </ItemGroup>
            </Project>
            """);
        _repo.Write("src/A/A.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Serilog" /><PackageReference Include="Polly" /></ItemGroup></Project>""");
        _repo.Write("src/B/B.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Serilog" VersionOverride="2.12.0" /></ItemGroup></Project>""");

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        inventory.Diagnostics.ShouldBeEmpty();
        var serilog = inventory.Dependencies.Where(d => d.PackageId == "Serilog").ToList();
        serilog.Count.ShouldBe(2);
        var central = serilog.Single(d => d.Kind == DependencyKind.CentralVersion);
        central.Site.File.ShouldBe("Directory.Packages.props");
        central.Site.Line.ShouldBe(6);
        central.Site.Text.ShouldBe("3.0.0");
        central.Projects.ShouldBe(["src/A/A.csproj"]);
        var overridden = serilog.Single(d => d.Kind == DependencyKind.VersionOverride);
        overridden.Site.File.ShouldBe("src/B/B.csproj");
        overridden.Site.Text.ShouldBe("2.12.0");
        var global = inventory.Dependencies.Single(d => d.Kind == DependencyKind.GlobalPackageReference);
        global.Projects.ShouldBe(["src/A/A.csproj", "src/B/B.csproj"]);
    }

    [Fact]
    public void VersionProperties_AreFollowedToTheImportedPropsFileThatDefinesThem()
    {
        _repo.Write("Directory.Build.props", """
            <Project>
              <Import Project="$([MSBuild]::GetPathOfFileAbove('versions.props', '$(MSBuildThisFileDirectory)'))" />
            </Project>
            """);
        _repo.Write("versions.props", """
            <Project>
              <PropertyGroup>
                <XunitVersion>2.4.0</XunitVersion>
              </PropertyGroup>
            </Project>
            """);
        _repo.Write("tests/T/T.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="xunit" Version="$(XunitVersion)" />
                <PackageReference Include="xunit.runner.visualstudio">
                  <Version>$(XunitVersion)</Version>
                </PackageReference>
                <PackageReference Include="Moq"><Version>4.18.0</Version></PackageReference>
              </ItemGroup>
            </Project>
            """);

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        inventory.Diagnostics.ShouldBeEmpty();
        var xunit = inventory.Dependencies.Single(d => d.PackageId == "xunit");
        xunit.Site.File.ShouldBe("versions.props");
        xunit.Site.Property.ShouldBe("XunitVersion");
        xunit.Site.Line.ShouldBe(3);
        inventory.Dependencies.Single(d => d.PackageId == "xunit.runner.visualstudio").Site.Offset.ShouldBe(xunit.Site.Offset);
        inventory.Dependencies.Single(d => d.PackageId == "Moq").Site.Text.ShouldBe("4.18.0");
    }

    [Fact]
    public void GlobalJsonAndToolManifest_AreRead()
    {
        _repo.Write("global.json", """
            {
              // comments are allowed here
              "sdk": { "version": "10.0.100", "rollForward": "latestFeature" },
              "msbuild-sdks": { "Microsoft.Build.Traversal": "4.1.0" }
            }
            """);
        _repo.Write(".config/dotnet-tools.json", """
            {
              "version": 1,
              "isRoot": true,
              "tools": { "dotnet-reportgenerator-globaltool": { "version": "5.1.0", "commands": ["reportgenerator"] } }
            }
            """);

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        inventory.Dependencies.Single(d => d.Kind == DependencyKind.DotnetSdk).Site.Text.ShouldBe("10.0.100");
        var traversal = inventory.Dependencies.Single(d => d.Kind == DependencyKind.MSBuildSdk);
        (traversal.PackageId, traversal.Site.Text, traversal.Site.Line).ShouldBe(("Microsoft.Build.Traversal", "4.1.0", 4));
        var tool = inventory.Dependencies.Single(d => d.Kind == DependencyKind.DotnetTool);
        (tool.PackageId, tool.Site.Text, tool.Site.File).ShouldBe(("dotnet-reportgenerator-globaltool", "5.1.0", ".config/dotnet-tools.json"));
    }

    [Fact]
    public void MalformedProject_IsReportedWithItsLine_AndTheOthersAreStillRead()
    {
        _repo.Write("src/Bad/Bad.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"A\" Version=\"1.0.0\">\n  </ItemGroup>\n</Project>\n");
        _repo.Write("src/Good/Good.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Serilog" Version="3.0.0" /></ItemGroup></Project>""");

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        var problem = inventory.Diagnostics.ShouldHaveSingleItem();
        problem.Code.ShouldBe(DiagnosticCodes.MalformedProjectFile);
        problem.Path.ShouldBe("src/Bad/Bad.csproj");
        problem.Line.ShouldBe(4);
        inventory.Dependencies.Single().PackageId.ShouldBe("Serilog");
    }

    [Fact]
    public void PropertyDefinedInTwoPlaces_IsAnErrorNamingBoth_AndThatPackageIsLeftAlone()
    {
        _repo.Write("Directory.Build.props", "<Project><PropertyGroup><SerilogVersion>3.0.0</SerilogVersion></PropertyGroup></Project>");
        _repo.Write("src/A/A.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><SerilogVersion>3.1.0</SerilogVersion></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Serilog" Version="$(SerilogVersion)" />
                <PackageReference Include="Polly" Version="8.0.0" />
              </ItemGroup>
            </Project>
            """);

        var inventory = DependencyDiscovery.Discover(_repo.Root);

        var problem = inventory.Diagnostics.ShouldHaveSingleItem();
        problem.Code.ShouldBe(DiagnosticCodes.AmbiguousVersionProperty);
        problem.Message.ShouldContain("Directory.Build.props(1,");
        problem.Message.ShouldContain("src/A/A.csproj(2,");
        inventory.Dependencies.ShouldHaveSingleItem().PackageId.ShouldBe("Polly");
        inventory.Unresolved.ShouldContain(u => u.PackageId == "Serilog");
    }

    [Fact]
    public void VersionEditor_ChangesOnlyTheVersionCharacters_KeepingBomCrlfAndComments()
    {
        var original = "<Project>\r\n  <!-- pinned for reasons -->\r\n  <ItemGroup>\r\n    <PackageVersion Version='1.0.0' Include=\"Serilog\"   />\r\n  </ItemGroup>\r\n</Project>\r\n";
        File.WriteAllBytes(_repo.Path("Directory.Packages.props"), [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(original)]);
        _repo.Write("src/A/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup><PackageReference Include=\"Serilog\" /></ItemGroup></Project>");
        var site = DependencyDiscovery.Discover(_repo.Root).Dependencies.Single().Site;

        var (files, problem) = VersionEditor.Apply(_repo.Root, [(site, "1.2.10")]);

        problem.ShouldBeNull();
        files.ShouldBe(["Directory.Packages.props"]);
        var expected = original.Replace("'1.0.0'", "'1.2.10'", StringComparison.Ordinal);
        File.ReadAllBytes(_repo.Path("Directory.Packages.props")).ShouldBe([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(expected)]);
    }

    [Fact]
    public void VersionEditor_WritesNothing_WhenAnyFileChangedSinceTheScan()
    {
        _repo.Write("src/A/A.csproj", "<Project><ItemGroup><PackageReference Include=\"A\" Version=\"1.0.0\" /></ItemGroup></Project>");
        _repo.Write("src/B/B.csproj", "<Project><ItemGroup><PackageReference Include=\"B\" Version=\"1.0.0\" /></ItemGroup></Project>");
        var sites = DependencyDiscovery.Discover(_repo.Root).Dependencies.Select(d => d.Site).ToList();
        _repo.Write("src/B/B.csproj", "<Project><ItemGroup><PackageReference Include=\"B\" Version=\"1.5.0\" /></ItemGroup></Project>");

        var (files, problem) = VersionEditor.Apply(_repo.Root, sites.Select(s => (s, "2.0.0")));

        problem!.Code.ShouldBe(DiagnosticCodes.VersionEditConflict);
        files.ShouldBeEmpty();
        _repo.Read("src/A/A.csproj").ShouldContain("Version=\"1.0.0\"");
    }
}
