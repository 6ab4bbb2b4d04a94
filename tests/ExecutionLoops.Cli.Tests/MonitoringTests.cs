using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary><c>loops insights</c> and the run history over a history made by real delegation runs (<see cref="MonitoredRepo"/>).</summary>
[Collection(MonitoredRepo.Collection)]
public sealed class MonitoringTests(MonitoredRepo scenario)
{
    private string Root => scenario.Repo.Root;

    private string HistoryFile => Path.Combine(Root, ".loops", "state", "history", "runs.jsonl");

    [Fact]
    public async Task Insights_AfterRealRuns_CountsEachMissionAndSuggestsWhatToImprove()
    {
        var result = await CliRunner.RunAsync(Root, "insights", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        var report = JsonDocument.Parse(result.Output).RootElement;
        var missions = report.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("mission").GetString()!);
        missions.Keys.Order().ShouldBe(["blocked", "note", "tidy"]);

        var tidy = missions["tidy"];
        tidy.GetProperty("runs").GetInt32().ShouldBe(4);
        tidy.GetProperty("succeeded").GetInt32().ShouldBe(4);
        tidy.GetProperty("successRate").GetDouble().ShouldBe(1.0);
        tidy.GetProperty("reviewed").GetInt32().ShouldBe(4);
        tidy.GetProperty("approved").GetInt32().ShouldBe(1);
        tidy.GetProperty("approvalRate").GetDouble().ShouldBe(0.25);
        tidy.GetProperty("reworkRounds").GetInt32().ShouldBe(3);
        tidy.GetProperty("gateFailures").GetArrayLength().ShouldBe(0);
        tidy.GetProperty("lastOutcome").GetString().ShouldBe("published");
        var median = TimeSpan.Parse(tidy.GetProperty("medianTimeToReview").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        median.ShouldBeGreaterThan(TimeSpan.Zero);
        median.ShouldBeLessThan(TimeSpan.FromMinutes(5));

        var blocked = missions["blocked"];
        blocked.GetProperty("runs").GetInt32().ShouldBe(2);
        blocked.GetProperty("succeeded").GetInt32().ShouldBe(0);
        blocked.GetProperty("successRate").GetDouble().ShouldBe(0.0);
        blocked.GetProperty("reviewed").GetInt32().ShouldBe(0);
        blocked.TryGetProperty("approvalRate", out _).ShouldBeFalse();
        blocked.GetProperty("reworkRounds").GetInt32().ShouldBe(0);
        blocked.GetProperty("lastOutcome").GetString().ShouldBe("gate-failed");
        var failure = blocked.GetProperty("gateFailures").EnumerateArray().Single();
        (failure.GetProperty("gate").GetString(), failure.GetProperty("required").GetBoolean(), failure.GetProperty("code").GetString(), failure.GetProperty("count").GetInt32())
            .ShouldBe(("command", true, "EL3006", 2));

        var note = missions["note"];
        (note.GetProperty("runs").GetInt32(), note.GetProperty("succeeded").GetInt32(), note.GetProperty("reviewed").GetInt32(), note.GetProperty("reworkRounds").GetInt32()).ShouldBe((1, 1, 0, 0));

        report.GetProperty("suggestions").EnumerateArray().Select(s => $"{s.GetProperty("rule").GetString()}|{s.GetProperty("mission").GetString()}|{s.GetProperty("message").GetString()}").ShouldBe(
        [
            "failing-gate|blocked|Mission 'blocked': its required gate 'command' failed in 2 of 2 runs, usually with EL3006. Fix what the gate reports (see docs/diagnostics.md, EL3006), or narrow the mission's scope.",
            "feedback-to-constraints|tidy|Mission 'tidy' was rejected 3 times with similar feedback (\"Add a comment explaining why the change is needed\"): add it to the constraints of its brief so the next run meets it the first time.",
            "delegate-routine|fmt|Pair session 'fix-spacing' was spent on routine format work (1 file): delegate it to mission 'fmt' (loops delegate --mission fmt).",
        ]);
    }

    [Fact]
    public async Task Insights_Table_ShowsTheNumbersAndSuggestions_AndMissionNarrowsIt()
    {
        var all = await CliRunner.RunAsync(Root, "insights");
        var one = await CliRunner.RunAsync(Root, "insights", "--mission", "tidy", "--since", "30d");

        all.ExitCode.ShouldBe(0, all.All);
        all.Output.ShouldContain("│ tidy    │ 4    │ 100%    │ 25%      │ 3      │");
        all.Output.ShouldContain("command (EL3006) x2");
        all.Output.ShouldContain("Suggestions:");
        one.ExitCode.ShouldBe(0, one.All);
        one.Output.ShouldContain("tidy");
        one.Output.ShouldNotContain("blocked");
        one.Output.ShouldContain("rejected 3 times with similar feedback");
        one.Output.ShouldNotContain("fix-spacing");
    }

    [Fact]
    public async Task Insights_WithBadInput_SaysWhatIsWrongWithACode()
    {
        var since = await CliRunner.RunAsync(Root, "insights", "--since", "banana");
        var mission = await CliRunner.RunAsync(Root, "insights", "--mission", "nope");
        var future = await CliRunner.RunAsync(Root, "insights", "--since", "2999-01-01", "--json");

        since.ExitCode.ShouldBe(2);
        since.Error.ShouldContain("error EL1060: --since 'banana' is neither a span nor a date.");
        since.Error.ShouldContain("30d, 12h, 2w");
        mission.ExitCode.ShouldBe(2);
        mission.Error.ShouldContain("error EL1061: No mission 'nope' has a brief or a recorded run.");
        mission.Error.ShouldContain("Known missions: blocked, fmt, note, tidy.");
        future.ExitCode.ShouldBe(0, future.All);
        JsonDocument.Parse(future.Output).RootElement.GetProperty("missions").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Dashboard_WritesIntoTheStateFolderByDefault_AndRefusesAFileAsItsFolder()
    {
        File.WriteAllText(Path.Combine(Root, "page.txt"), "mine");

        var byDefault = await CliRunner.RunAsync(Root, "dashboard");
        var onAFile = await CliRunner.RunAsync(Root, "dashboard", "--output", "page.txt");

        byDefault.ExitCode.ShouldBe(0, byDefault.All);
        byDefault.Output.Trim().ShouldBe(Path.Combine(Root, ".loops", "state", "dashboard", "index.html"));
        File.ReadAllText(byDefault.Output.Trim()).ShouldContain("<caption>Each mission over its recorded runs</caption>");
        onAFile.ExitCode.ShouldBe(2);
        onAFile.Error.ShouldContain("error EL1062:");
        File.ReadAllText(Path.Combine(Root, "page.txt")).ShouldBe("mine");
    }

    [Fact]
    public async Task History_WhenDeletedOrDamaged_IsRebuiltFromTheJournalsWithTheSameNumbers()
    {
        var before = (await CliRunner.RunAsync(Root, "insights", "--json")).Output;
        var lines = File.ReadAllLines(HistoryFile);
        lines.Length.ShouldBeGreaterThanOrEqualTo(7);
        lines.Select(l => JsonDocument.Parse(l).RootElement).Select(r => (r.GetProperty("run").GetString(), r.GetProperty("mission").GetString())).Distinct().Count().ShouldBe(7);

        File.Delete(HistoryFile);
        var afterDelete = await CliRunner.RunAsync(Root, "insights", "--json");
        File.WriteAllLines(HistoryFile, ["{\"run\": broken", .. File.ReadAllLines(HistoryFile)]);
        var afterDamage = await CliRunner.RunAsync(Root, "insights", "--json");
        var again = await CliRunner.RunAsync(Root, "insights", "--json");

        afterDelete.Output.ShouldBe(before);
        afterDelete.Error.ShouldNotContain("EL2050");
        afterDamage.ExitCode.ShouldBe(0, afterDamage.All);
        afterDamage.Output.ShouldBe(before);
        afterDamage.Error.ShouldContain("warning EL2050: The run history was damaged");
        again.Error.ShouldNotContain("EL2050");
        File.ReadAllLines(HistoryFile).Length.ShouldBe(7);
    }

    [Fact]
    public async Task History_OfARunKilledMidGate_ShowsItInterrupted_AndResumeTurnsItIntoTheOutcome()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"loops-history-gate-{Guid.NewGuid():N}");
        var gate = $"[diff, {{command: {{run: \"if [ -f {marker} ]; then exit 0; else touch {marker}; sleep 120; fi\"}}}}]";
        using var repo = MissionRepo.Create(("gated", MissionRepo.Command("echo x >> notes.txt", gates: gate)));
        using (var run = CliRunner.Start(repo.Root, null, "delegate", "--all"))
        {
            for (var waited = 0; !File.Exists(marker) && waited < 600; waited++)
            {
                await Task.Delay(100);
            }

            run.Kill(entireProcessTree: true); // SIGKILL: the run never writes its history
            await run.WaitForExitAsync();
        }

        var killed = await CliRunner.RunAsync(repo.Root, "insights", "--json");
        (await CliRunner.RunAsync(repo.Root, "resume")).ExitCode.ShouldBe(0);
        var resumed = await CliRunner.RunAsync(repo.Root, "insights", "--json");
        File.Delete(marker);

        var before = JsonDocument.Parse(killed.Output).RootElement.GetProperty("missions")[0];
        (before.GetProperty("runs").GetInt32(), before.GetProperty("succeeded").GetInt32(), before.GetProperty("lastOutcome").GetString()).ShouldBe((1, 0, "interrupted"));
        var after = JsonDocument.Parse(resumed.Output).RootElement.GetProperty("missions")[0];
        (after.GetProperty("runs").GetInt32(), after.GetProperty("succeeded").GetInt32(), after.GetProperty("lastOutcome").GetString()).ShouldBe((1, 1, "published"));
    }

    [Fact]
    public async Task ReportMerge_FeedsThePerJobReportsIntoAnotherRepositorysHistory()
    {
        var reports = Directory.GetFiles(Path.Combine(Root, ".loops", "state", "runs"), "report.json", SearchOption.AllDirectories);
        reports.Length.ShouldBe(7);
        using var ci = MissionRepo.Create(("blocked", MissionRepo.Command("true")));
        var jobs = Path.Combine(ci.Root, "jobs");
        for (var i = 0; i < reports.Length; i++)
        {
            Directory.CreateDirectory(Path.Combine(jobs, $"job{i}"));
            File.Copy(reports[i], Path.Combine(jobs, $"job{i}", "report.json"));
        }

        var merge = await CliRunner.RunAsync(ci.Root, "report", "merge", "jobs", "--output", "merged.md");
        var insights = await CliRunner.RunAsync(ci.Root, "insights", "--json");

        merge.Error.ShouldContain("Run history: 7 mission run(s) added from the reports");
        var missions = JsonDocument.Parse(insights.Output).RootElement.GetProperty("missions").EnumerateArray().ToDictionary(m => m.GetProperty("mission").GetString()!);
        missions["tidy"].GetProperty("runs").GetInt32().ShouldBe(4);
        missions["blocked"].GetProperty("gateFailures")[0].GetProperty("code").GetString().ShouldBe("EL3006");
        (await CliRunner.RunAsync(ci.Root, "report", "merge", "jobs", "--output", "merged.md")).Error.ShouldContain("Run history: 0 mission run(s) added");
    }
}
