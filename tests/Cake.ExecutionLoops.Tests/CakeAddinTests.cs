using ExecutionLoops.Cli.Tests.TestSupport;

namespace Cake.ExecutionLoops.Tests;

/// <summary>
/// The addin as users get it: packed, loaded by the real Cake runner with #addin, running real missions in real git
/// repositories. Cake compiles each script with Roslyn, so the tests keep to two script runs.
/// </summary>
public sealed class CakeAddinTests(CakeAddinFeed feed) : IClassFixture<CakeAddinFeed>
{
    [Fact]
    public void A_script_lints_plans_and_delegates_missions_and_branches_on_their_typed_results()
    {
        using var repo = MissionRepo.Create(
            ("stamp", MissionRepo.Command("echo stamped > STAMP.txt")),
            ("broken", MissionRepo.Command("exit 3")));

        var result = feed.RunScript(repo.Root, "build.cake", """
            var lint = LoopsLint();
            Information($"lint: {lint.Briefs.Count} brief(s), {lint.Errors} error(s)");
            foreach (var planned in LoopsPlan(new LoopsPlanSettings { Missions = { "stamp" } }))
            {
                Information($"plan: {planned.Id} due={planned.Due}");
            }

            var run = LoopsDelegate(new LoopsDelegateSettings { Missions = { "stamp", "broken" }, FailOnMissionFailure = false });
            foreach (var mission in run.Missions)
            {
                var gates = string.Join(",", mission.Gates.Select(g => $"{g.Name}:{g.Status}"));
                Information($"mission: {mission.MissionId} outcome={mission.Outcome} failed={mission.Failed} branch={mission.Branch} commit={mission.Commit} item={mission.ReviewItemId} gates={gates} run={run.RunId}");
            }

            var feedback = LoopsFeedback(new LoopsFeedbackSettings { Item = "stamp" });
            Information($"feedback: ran={feedback.Run != null} {feedback.Message}");
            var scan = LoopsDepsScan();
            Information($"deps: {scan.Dependencies.Count} dependencies, {scan.Diagnostics.Count(d => d.IsError)} error(s)");

            try
            {
                LoopsDelegate(new LoopsDelegateSettings { Missions = { "broken" } });
            }
            catch (CakeException ex)
            {
                Information($"failed run: code={ex.LoopsCode()} exit={ex.ExitCode} outcome={ex.LoopsRun()?["broken"]?.Outcome}");
            }
            """);

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("lint: 2 brief(s), 0 error(s)", customMessage: result.Output);
        result.Output.ShouldContain("plan: stamp due=True", customMessage: result.Output);
        result.Output.ShouldContain("plan: broken due=False", customMessage: result.Output);
        result.Output.ShouldContain("mission: broken outcome=ToilFailed failed=True branch=[NULL] commit=[NULL]", customMessage: result.Output);
        result.Output.ShouldContain("failed run: code=EL1052 exit=1 outcome=ToilFailed", customMessage: result.Output);
        result.Output.ShouldContain("feedback: ran=False Nothing to do on", customMessage: result.Output);
        result.Output.ShouldContain("deps: 0 dependencies, 0 error(s)", customMessage: result.Output);

        // The typed result is the repository's truth: the branch, its commit and trailers, the review item.
        var line = result.Output.Split('\n').Single(l => l.StartsWith("mission: stamp ", StringComparison.Ordinal));
        line.ShouldContain("outcome=Published failed=False branch=loops/stamp");
        line.ShouldContain("item=stamp gates=diff:Passed");
        var commit = Field(line, "commit");
        var runId = Field(line, "run");
        repo.Git("rev-parse", "loops/stamp").Trim().ShouldBe(commit);
        repo.Git("show", "loops/stamp:STAMP.txt").Trim().ShouldBe("stamped");
        var message = repo.Git("log", "-1", "--format=%B", "loops/stamp");
        message.ShouldContain("Mission-Id: stamp");
        message.ShouldContain($"Loops-Run: {runId}");
        var item = File.ReadAllText(repo.Path(".loops/state/reviews/stamp.json"));
        item.ShouldContain(commit);
        repo.Git("branch", "--list", "loops/broken").Trim().ShouldBeEmpty();
    }

    [Fact]
    public void A_lint_error_fails_the_build_with_a_CakeException_carrying_the_EL_code()
    {
        using var repo = MissionRepo.Create(("typo", MissionRepo.Command("true", extra: "colour: blue")));

        var result = feed.RunScript(repo.Root, "lint.cake", """
            Task("Lint").Does(() =>
            {
                try
                {
                    LoopsLint();
                }
                catch (CakeException ex)
                {
                    Information($"caught {ex.GetType().FullName} code={ex.LoopsCode()} exit={ex.ExitCode}");
                    throw;
                }
            });
            RunTarget("Lint");
            """);

        result.ExitCode.ShouldNotBe(0, result.Output);
        result.Output.ShouldContain("caught Cake.Core.CakeException code=EL1004 exit=2", customMessage: result.Output);
        result.Output.ShouldContain(".loops/missions/typo.md(", customMessage: result.Output);
        result.Output.ShouldContain("error EL1004: Unknown key 'colour'", customMessage: result.Output);
    }

    private static string Field(string line, string name) =>
        line.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
}
