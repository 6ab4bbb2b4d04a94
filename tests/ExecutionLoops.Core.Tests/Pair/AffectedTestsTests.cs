using ExecutionLoops.Pair;

namespace ExecutionLoops.Core.Tests.Pair;

public sealed class AffectedTestsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-affected-").FullName;

    public AffectedTestsTests()
    {
        Project("src/Core/Core.csproj", references: []);
        Project("src/Web/Web.csproj", references: ["../Core/Core.csproj"]);
        Project("tests/Web.Tests/Web.Tests.csproj", references: ["..\\..\\src\\Web\\Web.csproj"], test: true);
        Project("tests/Other.Tests/Other.Tests.csproj", references: [], test: true);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Find_ChangeInATransitiveDependency_AffectsOnlyTheTestsThatReachIt()
    {
        AffectedTests.Find(_root, ["src/Core/Model.cs"]).Select(p => Path.GetFileName(p)).ShouldBe(["Web.Tests.csproj"]);
    }

    [Fact]
    public void Find_ChangeInATestProject_AffectsThatProject()
    {
        AffectedTests.Find(_root, ["tests/Other.Tests/OtherTests.cs"]).Select(p => Path.GetFileName(p)).ShouldBe(["Other.Tests.csproj"]);
    }

    [Fact]
    public void Find_ChangeOutsideAnyProject_AffectsNothing()
    {
        AffectedTests.Find(_root, ["README.md"]).ShouldBeEmpty();
    }

    [Fact]
    public void BuildScope_ChangeInsideProjects_IsTheChangedProjectsAndEveryProjectReferencingThem()
    {
        var graph = AffectedTests.Load(_root);

        graph.BuildScope(["src/Web/Page.cs"])!.Select(p => Path.GetFileName(p)).ShouldBe(["Web.csproj", "Web.Tests.csproj"], ignoreOrder: true);
        graph.BuildScope(["src/Core/Model.cs"])!.Select(p => Path.GetFileName(p)).ShouldBe(["Core.csproj", "Web.csproj", "Web.Tests.csproj"], ignoreOrder: true);
    }

    [Fact]
    public void BuildScope_ChangeToAProjectFileOrOutsideEveryProject_AsksForTheWholeBuild()
    {
        var graph = AffectedTests.Load(_root);

        graph.BuildScope(["src/Web/Web.csproj"]).ShouldBeNull();
        graph.BuildScope(["Directory.Build.props"]).ShouldBeNull();
        graph.BuildScope(["src/Web/Page.cs", "README.md"]).ShouldBeNull();
        graph.BuildScope([]).ShouldBeNull();
    }

    [Fact]
    public void Load_SkipsBuildOutputAndToolFolders()
    {
        Project("src/Web/obj/Stale.Tests/Stale.Tests.csproj", references: ["../../../Core/Core.csproj"], test: true);
        Project("node_modules/pkg/Pkg.Tests.csproj", references: ["../../src/Core/Core.csproj"], test: true);

        AffectedTests.Find(_root, ["src/Core/Model.cs"]).Select(p => Path.GetFileName(p)).ShouldBe(["Web.Tests.csproj"]);
    }

    private void Project(string path, string[] references, bool test = false)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var items = string.Concat(references.Select(r => $"<ProjectReference Include=\"{r}\" />"));
        var sdk = test ? "<PackageReference Include=\"Microsoft.NET.Test.Sdk\" Version=\"18.11.0\" />" : "";
        File.WriteAllText(full, $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}{sdk}</ItemGroup></Project>");
    }
}
