using System.Text.RegularExpressions;
using ExecutionLoops.Cli.Commands;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The pair loop's hot path: the context pack written only when its inputs changed, the phase trace, and the watch's
/// debouncing of save bursts. The feedback calls pass the compiler log of a build that already ran (as the MSBuild
/// Pair target does), so no test here builds anything.
/// </summary>
public sealed partial class PairHotPathTests
{
    private const string EmptyCompilerLog = "{\"version\":\"2.1.0\",\"runs\":[]}\n";

    /// <summary>A committed one-project library.</summary>
    internal static TempGitRepo Repo()
    {
        var repo = new TempGitRepo();
        repo.Write(".gitignore", "bin/\nobj/\n");
        repo.Write("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        repo.Commit("library");
        return repo;
    }

    /// <summary>A clean build's compiler log, as the MSBuild target hands it over.</summary>
    private static async Task<string> EmptyCompilerLogAsync(TempGitRepo repo)
    {
        var log = Path.Combine(repo.Root, "obj", "loops-pair.sarif");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, EmptyCompilerLog);
        return log;
    }

    private static Task<CliResult> StatusAsync(TempGitRepo repo, string log, params string[] more) =>
        CliRunner.RunAsync(repo.Root, ["pair", "status", "--compiler-log", log, "--build-succeeded", "true", .. more]);

    [Fact]
    public async Task ContextPack_IsNotRewrittenWhenItsInputsAreUnchanged_AndIsRewrittenWhenTheTreeOrANoteChanges()
    {
        using var repo = Repo();
        var log = await EmptyCompilerLogAsync(repo);
        (await StatusAsync(repo, log, "--goal", "Add subtraction", "--session", "sub")).ExitCode.ShouldBe(0);
        var pack = repo.Path(".loops/pair/context.md");
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(pack, old);

        var unchanged = await StatusAsync(repo, log);

        unchanged.ExitCode.ShouldBe(0, unchanged.All);
        File.GetLastWriteTimeUtc(pack).ShouldBe(old);

        repo.Write("Sub.cs", "namespace Lib;\n\npublic static class Sub\n{\n    public static int Minus(int a, int b) => a - b;\n}\n");
        (await StatusAsync(repo, log)).ExitCode.ShouldBe(0);

        File.GetLastWriteTimeUtc(pack).ShouldBeGreaterThan(old);
        var afterEdit = await File.ReadAllTextAsync(pack);
        afterEdit.ShouldContain("+    public static int Minus(int a, int b) => a - b;");
        File.SetLastWriteTimeUtc(pack, old);

        (await CliRunner.RunAsync(repo.Root, "pair", "note", "Sub stays separate from Calc")).ExitCode.ShouldBe(0);
        (await StatusAsync(repo, log)).ExitCode.ShouldBe(0);

        File.GetLastWriteTimeUtc(pack).ShouldBeGreaterThan(old);
        (await File.ReadAllTextAsync(pack)).ShouldContain("Sub stays separate from Calc");
    }

    [Fact]
    public async Task Checkpoint_WithNothingChanged_ReusesTheLastOne_AndTheNextStateGetsTheNextNumber()
    {
        using var repo = Repo();
        var log = await EmptyCompilerLogAsync(repo);
        (await StatusAsync(repo, log, "--goal", "Reuse checkpoints", "--session", "reuse")).Output.ShouldContain("Checkpoint 1 saved");

        var again = await CliRunner.RunAsync(repo.Root, "pair", "checkpoint");
        var status = await StatusAsync(repo, log);
        var json = await CliRunner.RunAsync(repo.Root, "pair", "checkpoint", "--json");

        again.Output.ShouldContain("Checkpoint 1 reused: nothing changed since it");
        status.Output.ShouldContain("Checkpoint 1 reused: the working tree and HEAD are as it recorded them");
        status.Output.ShouldContain("No files changed since checkpoint 1.");
        json.Output.ShouldContain("\"reused\": true");
        repo.Git("for-each-ref", "--format=%(refname)", "refs/loops/pair/reuse/").Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["refs/loops/pair/reuse/0", "refs/loops/pair/reuse/1"]);

        repo.Write("Sub.cs", "namespace Lib;\n");
        (await CliRunner.RunAsync(repo.Root, "pair", "checkpoint")).Output.ShouldContain("Checkpoint 2 saved");
        var list = await CliRunner.RunAsync(repo.Root, "pair", "rewind");
        list.Output.ShouldContain("  2  ");
        list.Output.ShouldNotContain("  3  ");
    }

    [Fact]
    public async Task Trace_WithLoopsTrace_PrintsEachPhaseInMillisecondsOnStandardError_AndNothingWithoutIt()
    {
        using var repo = Repo();
        var log = await EmptyCompilerLogAsync(repo);
        (await StatusAsync(repo, log, "--goal", "Trace it", "--session", "trace")).ExitCode.ShouldBe(0);
        repo.Write("More.cs", "namespace Lib;\n");

        var traced = await CliRunner.RunProcessAsync(repo.Root, new Dictionary<string, string> { ["LOOPS_TRACE"] = "1" }, apphost: false, "pair", "checkpoint");
        var plain = await CliRunner.RunProcessAsync(repo.Root, new Dictionary<string, string> { ["LOOPS_TRACE"] = "" }, apphost: false, "pair", "checkpoint");

        traced.ExitCode.ShouldBe(0, traced.All);
        var lines = traced.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => TraceLine().IsMatch(l));
        var phases = lines.Select(l => TraceLine().Match(l).Groups["phase"].Value).ToList();
        phases.ShouldContain("process start");
        phases.ShouldContain("engine open");
        phases.ShouldContain("git add");
        phases.ShouldContain("checkpoint");
        phases.ShouldContain("session save");
        phases[^1].ShouldBe("command total");
        traced.Output.ShouldNotContain("loops-trace");
        plain.ExitCode.ShouldBe(0, plain.All);
        plain.Error.ShouldNotContain("loops-trace");
    }

    [Fact]
    public async Task SourceChangeSignal_ABurstOfSaves_WakesTheWatchOnce_AfterTheBurstIsQuiet()
    {
        var root = Directory.CreateTempSubdirectory("loops-debounce-").FullName;
        try
        {
            // A long quiet period, so the burst stays one burst on a loaded machine too.
            using var signal = new SourceChangeSignal(root, TimeSpan.FromMilliseconds(1500));
            var started = System.Diagnostics.Stopwatch.StartNew();
            var wait = signal.WaitAsync(CancellationToken.None);
            for (var i = 0; i < 5; i++)
            {
                signal.Notify(Path.Combine(root, "Calc.cs"));
                await Task.Delay(20);
            }

            var lastSave = started.Elapsed;
            wait.IsCompleted.ShouldBeFalse();
            await wait.WaitAsync(TimeSpan.FromSeconds(20));
            (started.Elapsed - lastSave).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400));

            var second = signal.WaitAsync(CancellationToken.None);
            (await Task.WhenAny(second, Task.Delay(700))).ShouldNotBe(second);

            signal.Notify(Path.Combine(root, "bin", "Debug", "Lib.dll"));
            signal.Notify(Path.Combine(root, ".loops", "pair", "context.md"));
            (await Task.WhenAny(second, Task.Delay(700))).ShouldNotBe(second);

            // A real save through the file system wakes it.
            await File.WriteAllTextAsync(Path.Combine(root, "Calc.cs"), "// saved\n");
            await second.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [GeneratedRegex(@"^loops-trace: (?<phase>[a-z][a-z -]*) \d+\.\d ms$")]
    private static partial Regex TraceLine();
}
