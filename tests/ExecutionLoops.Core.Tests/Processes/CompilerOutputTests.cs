using ExecutionLoops.Processes;

namespace ExecutionLoops.Core.Tests.Processes;

public sealed class CompilerOutputTests
{
    [Fact]
    public void Parse_ReadsRestoreAndMSBuildErrors_WithTheFileWhenTheyHaveOne()
    {
        const string output = """
              Determining projects to restore...
            /repo/src/Shop/Shop.csproj : error NU1101: Unable to find package Nope.Missing. No packages exist with this id in source(s): local [/repo/Shop.slnx]
            MSBUILD : error MSB1009: Project file does not exist.
            /usr/share/dotnet/sdk/10.0.401/NuGet.targets(782,5): error : Unable to load the service index for source http://127.0.0.1:5555/v3/index.json. [/repo/src/Shop/Shop.csproj]
            /repo/src/Shop/Cart.cs(3,5): error CS1002: ; expected [/repo/src/Shop/Shop.csproj]
            """;

        var errors = CompilerOutput.Parse(output, "/repo", "EL3001");

        errors.Select(e => e.ToString()).ShouldBe([
            "src/Shop/Shop.csproj: error EL3001: NU1101: Unable to find package Nope.Missing. No packages exist with this id in source(s): local",
            "loops: error EL3001: MSB1009: Project file does not exist.",
            "../usr/share/dotnet/sdk/10.0.401/NuGet.targets(782,5): error EL3001: Unable to load the service index for source http://127.0.0.1:5555/v3/index.json.",
            "src/Shop/Cart.cs(3,5): error EL3001: CS1002: ; expected",
        ]);
    }

    [Fact]
    public void Parse_LeavesProgressAndWarningsOut_UnlessAsked()
    {
        const string output = "  Restored /repo/a.csproj (in 1 s).\n/repo/a.cs(1,1): warning CS0168: unused [/repo/a.csproj]\n";

        CompilerOutput.Parse(output, "/repo", "EL3001").ShouldBeEmpty();
        CompilerOutput.Parse(output, "/repo", "EL3001", includeWarnings: true).ShouldHaveSingleItem().Line.ShouldBe(1);
    }
}
