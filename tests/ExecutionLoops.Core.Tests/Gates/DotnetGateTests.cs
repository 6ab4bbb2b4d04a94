using ExecutionLoops.Briefs;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Gates;

/// <summary>The dotnet-backed gates against a real two-project solution: one passing and one failing test, misformatted code.</summary>
public sealed class DotnetGateTests : IDisposable
{
    private readonly TempGitRepo _repo = new();
    private readonly List<string> _log = [];

    public DotnetGateTests()
    {
        _repo.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        _repo.Write("src/Lib/Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        _repo.Write("tests/Lib.Tests/Lib.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
              </ItemGroup>
              <ItemGroup><ProjectReference Include="../../src/Lib/Lib.csproj" /></ItemGroup>
            </Project>
            """);
        _repo.Write("tests/Lib.Tests/CalcTests.cs", "using Xunit;\n\nnamespace Lib.Tests;\n\npublic class CalcTests\n{\n    [Fact]\n    public void AddsNumbers() => Assert.Equal(3, Calc.Add(1, 2));\n\n    [Fact]\n    public void Wrong_On_Purpose() => Assert.Equal(5, Calc.Add(1, 2));\n}\n");
        Dotnet("new", "sln", "-n", "Sample", "--format", "sln");
        Dotnet("sln", "Sample.sln", "add", "src/Lib/Lib.csproj", "tests/Lib.Tests/Lib.Tests.csproj");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task BuildThenTest_ListsTheFailingTestByNameAndReusesTheBuild()
    {
        var context = Context([]);

        var build = await new BuildGate().EvaluateAsync(context, GateSpec.Of("build"), CancellationToken.None);
        var test = await new TestGate().EvaluateAsync(context, GateSpec.Of("test"), CancellationToken.None);

        build.Status.ShouldBe(GateStatus.Passed, build.LogTail);
        context.Session.BuildSucceeded.ShouldBeTrue();
        _log.ShouldContain(line => line.Contains("test") && line.Contains("--no-build"));
        test.Status.ShouldBe(GateStatus.Failed);
        test.Summary.ShouldBe("1 passed, 1 failed: Lib.Tests.CalcTests.Wrong_On_Purpose");
        test.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.TestsFailed);
        test.Duration.ShouldBeGreaterThan(TimeSpan.Zero);
        test.LogTail.ShouldNotBeEmpty();

        // A compile error fails the build gate with the file and line of the error.
        _repo.Write("src/Lib/Broken.cs", "namespace Lib;\n\npublic class Broken\n{\n    public int X => undefinedName;\n}\n");
        var broken = await new BuildGate().EvaluateAsync(Context([]), GateSpec.Of("build"), CancellationToken.None);

        broken.Status.ShouldBe(GateStatus.Failed);
        var error = broken.Diagnostics[0];
        error.Code.ShouldBe(DiagnosticCodes.BuildFailed);
        error.Path.ShouldBe("src/Lib/Broken.cs");
        error.Line.ShouldBe(5);
        error.Message.ShouldStartWith("CS0103");
    }

    [Fact]
    public async Task Format_WhenCodeIsMisformatted_NamesTheFile()
    {
        _repo.Write("src/Lib/Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n        public static int Add(int a,int b) => a + b;\n}\n");

        var result = await new FormatGate().EvaluateAsync(Context([new FileChange("src/Lib/Calc.cs", 6, 0)]), GateSpec.Of("format"), CancellationToken.None);
        var unchanged = await new FormatGate().EvaluateAsync(Context([new FileChange("README.md", 1, 0)]), GateSpec.Of("format"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Failed);
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.FormatDirty && d.Path == "src/Lib/Calc.cs");
        unchanged.Status.ShouldBe(GateStatus.Passed);
        unchanged.Summary.ShouldBe("no C# files changed");
    }

    [Fact]
    public async Task Docs_WhenSummariesRequired_ListsUndocumentedPublicApiWithLocations()
    {
        _repo.Write("src/Lib/Calc.cs", "namespace Lib;\n\n/// <summary>Arithmetic.</summary>\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        var required = new GateSpec("docs", true, new Dictionary<string, string> { ["require-summaries"] = "true" });

        var result = await new DocsGate().EvaluateAsync(Context([]), required, CancellationToken.None);
        var advisory = await new DocsGate().EvaluateAsync(Context([]), GateSpec.Of("docs"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Failed);
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.MissingDocs && d.Path == "src/Lib/Calc.cs" && d.Line == 6);
        result.Diagnostics.ShouldNotContain(d => d.Path == "src/Lib/Calc.cs" && d.Line == 4);
        advisory.Status.ShouldBe(GateStatus.Passed);
        advisory.Summary.ShouldContain("not required");
    }

    [Fact]
    public async Task PairFeedback_WithTests_ListsFailuresAndWarnings()
    {
        var feedback = await PairFeedbackRunner().RunAsync(_repo.Root, "HEAD", _repo.Path("Sample.sln"), runTests: true, evidence: null, CancellationToken.None);

        feedback.BuildSucceeded.ShouldBeTrue();
        feedback.TestsRun.ShouldBeTrue();
        feedback.TestsPassed.ShouldBe(1);
        feedback.FailedTests.Single().ShouldStartWith("Lib.Tests.CalcTests.Wrong_On_Purpose:");
    }

    [Fact]
    public async Task PairFeedback_RunsOnlyTheGivenTestProjects()
    {
        var runner = PairFeedbackRunner();

        var none = await runner.RunAsync(_repo.Root, "HEAD", _repo.Path("Sample.sln"), runTests: true, evidence: null, CancellationToken.None, testProjects: []);
        var affected = await runner.RunAsync(_repo.Root, "HEAD", _repo.Path("Sample.sln"), runTests: true, evidence: null, CancellationToken.None, testProjects: [_repo.Path("tests/Lib.Tests/Lib.Tests.csproj")]);

        none.BuildSucceeded.ShouldBeTrue();
        none.TestsRun.ShouldBeTrue();
        none.TestsPassed.ShouldBe(0);
        none.FailedTests.ShouldBeEmpty();
        affected.TestsPassed.ShouldBe(1);
        affected.FailedTests.Single().ShouldStartWith("Lib.Tests.CalcTests.Wrong_On_Purpose:");
    }

    private static ExecutionLoops.Pair.PairFeedbackRunner PairFeedbackRunner() =>
        new(LoopsRegistry.CreateDefault(new ProcessRunner(), TimeProvider.System), LoopsConfig.Default, new ProcessRunner(), TimeProvider.System);

    private GateContext Context(IReadOnlyList<FileChange> changes)
    {
        var brief = new MissionBrief { Id = "m", Kind = "format", Title = "m", SourcePath = "/m.md", RelativePath = "m.md" };
        return new GateContext(brief, LoopsConfig.Default, _repo.Root, "HEAD", new ListLog(_log), new ProcessRunner(), changes, new GateSession());
    }

    private void Dotnet(params string[] arguments)
    {
        var result = new ProcessRunner().RunAsync(DotnetCli.Command(_repo.Root, arguments)).GetAwaiter().GetResult();
        result.Succeeded.ShouldBeTrue(result.CombinedOutput);
    }

    private sealed class ListLog(List<string> lines) : IMissionLog
    {
        public void Write(string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }
}
