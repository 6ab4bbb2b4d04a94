using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Gates;

/// <summary>
/// The build gate without a real build: a build that already ran (the MSBuild Pair target's) is read from its compiler
/// log and never built again, and a build the gate runs is timed on the context's clock.
/// </summary>
public sealed class BuildGateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-build-gate-").FullName;
    private readonly NoProcesses _processes = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task CompletedBuild_IsReadFromItsCompilerLog_WithoutBuilding()
    {
        var context = Context(new BuildEvidence(false, Log("""
            {"ruleId": "CS0168", "level": "warning", "message": {"text": "The variable 'x' is declared but never used"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "Calc.cs"}, "region": {"startLine": 3, "startColumn": 9}}}]},
            {"ruleId": "CS0103", "level": "error", "message": {"text": "The name 'oops' does not exist in the current context"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "Calc.cs"}, "region": {"startLine": 7, "startColumn": 48}}}]}
            """)));

        var result = await new BuildGate().EvaluateAsync(context, GateSpec.Of("build"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Failed);
        result.Summary.ShouldBe("build failed: 1 error(s), first Calc.cs(7): CS0103: The name 'oops' does not exist in the current context");
        result.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.BuildFailed);
        context.Session.BuildDiagnostics.Select(d => (d.IsError, d.Line)).ShouldBe([(false, 3), (true, 7)]);
        context.Session.BuildSucceeded.ShouldBeFalse();
        _processes.Started.ShouldBe(0);
    }

    [Fact]
    public async Task CompletedBuild_ThatFailedBeforeCompiling_SaysSoInsteadOfZeroErrors()
    {
        var context = Context(new BuildEvidence(false, Log("")));

        var result = await new BuildGate().EvaluateAsync(context, GateSpec.Of("build"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Failed);
        var error = result.Diagnostics.Single();
        error.Path.ShouldBe("App.csproj");
        error.Message.ShouldStartWith("The build failed before compiling (restore or project evaluation)");
        context.Session.BuildDiagnostics.ShouldBe([error]);
        _processes.Started.ShouldBe(0);
    }

    [Fact]
    public async Task CompletedBuild_ThatSucceeded_PassesAndCountsItsWarnings()
    {
        var context = Context(new BuildEvidence(true, Log("""
            {"ruleId": "CS0168", "level": "warning", "message": {"text": "unused"}}
            """)));

        var result = await new BuildGate().EvaluateAsync(context, GateSpec.Of("build"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Passed);
        result.Summary.ShouldBe("build succeeded with 1 warning(s)");
        context.Session.BuildSucceeded.ShouldBeTrue();
        _processes.Started.ShouldBe(0);
    }

    [Fact]
    public async Task Duration_IsMeasuredOnTheContextsClock()
    {
        var clock = new FakeTimeProvider();
        var context = GateContext.ForWorkingTree(LoopsConfig.Default, _root, "HEAD", new SlowBuild(clock, TimeSpan.FromSeconds(90)), [], clock) with { Project = Path.Combine(_root, "App.csproj") };

        var result = await new BuildGate().EvaluateAsync(context, GateSpec.Of("build"), CancellationToken.None);

        result.Status.ShouldBe(GateStatus.Passed);
        result.Duration.ShouldBe(TimeSpan.FromSeconds(90));
    }

    private GateContext Context(BuildEvidence completed) =>
        GateContext.ForWorkingTree(LoopsConfig.Default, _root, "HEAD", _processes, [], TimeProvider.System) with { Project = Path.Combine(_root, "App.csproj"), CompletedBuild = completed };

    private string Log(string results)
    {
        var path = Path.Combine(_root, "loops-pair.sarif");
        File.WriteAllText(path, $$"""{"version": "2.1.0", "runs": [{"results": [{{results}}]}]}""");
        return path;
    }

    /// <summary>A build that succeeds after <paramref name="duration"/> on the fake clock.</summary>
    private sealed class SlowBuild(FakeTimeProvider clock, TimeSpan duration) : ProcessRunner
    {
        public override Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            clock.Advance(duration);
            return Task.FromResult(new ProcessResult(0, "Build succeeded.\n", "", duration, false));
        }
    }

    private sealed class NoProcesses : ProcessRunner
    {
        public int Started { get; private set; }

        public override Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            Started++;
            throw new InvalidOperationException($"Nothing should run: {spec.Display}");
        }
    }
}
