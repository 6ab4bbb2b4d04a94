using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>The mission dashboard issue (<c>review.dashboard: true</c>) against the emulator: one issue, ticks heard from trusted people only.</summary>
public sealed partial class GitHubReviewTests
{
    private const string DashboardMarker = "<!-- loops:mission-dashboard -->";

    [Fact]
    public async Task Dashboard_KeepsOneIssue_RunsWhatATrustedUserTicks_AndIgnoresAnUntrustedTick()
    {
        Repo.Write(".loops/config.yml", Repo.Read(".loops/config.yml") + "  dashboard: true\n");
        Repo.Commit("mission dashboard");
        _github.Permissions["ana"] = "write";
        _github.Permissions["mallory"] = "read";

        var first = await CliRunner.RunAsync(Repo.Root, "delegate", "--all");
        var idle = await CliRunner.RunAsync(Repo.Root, "delegate", "--json");

        first.ExitCode.ShouldBe(0, first.All);
        idle.ExitCode.ShouldBe(0, idle.All);
        var issue = _github.Issues.ShouldHaveSingleItem();
        var number = (int)issue["number"]!;
        var body = (string)issue["body"]!;
        body.ShouldStartWith(DashboardMarker);
        body.ShouldContain("- [ ] **stamp**");
        body.ShouldContain("last: published (");
        body.ShouldContain("review item: #1");
        JsonDocument.Parse(idle.Output).RootElement.GetProperty("missions").GetArrayLength().ShouldBe(0, "nothing is due and nothing was asked for");

        // mallory can read the repository but not write: her tick asks for nothing, and is undone.
        _github.EditIssue(number, "mallory", text => text.Replace("- [ ] **stamp**", "- [x] **stamp**", StringComparison.Ordinal));
        var untrusted = await CliRunner.RunAsync(Repo.Root, "delegate", "--json");

        untrusted.ExitCode.ShouldBe(0, untrusted.All);
        untrusted.Error.ShouldContain("warning EL4034: The box of mission 'stamp' on the mission dashboard was ticked by mallory, who is not trusted");
        JsonDocument.Parse(untrusted.Output).RootElement.GetProperty("missions").GetArrayLength().ShouldBe(0);
        body = (string)_github.Issues.ShouldHaveSingleItem()["body"]!;
        body.ShouldContain("- [ ] **stamp**");
        body.ShouldContain("the tick of **stamp** by @mallory was ignored");

        // ana has write access: the mission runs in this (scheduled) run and her box is unticked with a note.
        _github.EditIssue(number, "ana", text => text.Replace("- [ ] **stamp**", "- [x] **stamp**", StringComparison.Ordinal));
        var trusted = await CliRunner.RunAsync(Repo.Root, "delegate", "--json");

        trusted.ExitCode.ShouldBe(0, trusted.All);
        JsonDocument.Parse(trusted.Output).RootElement.GetProperty("missions")[0].GetProperty("missionId").GetString().ShouldBe("stamp");
        body = (string)_github.Issues.ShouldHaveSingleItem()["body"]!;
        body.ShouldNotContain("- [x]");
        body.ShouldContain("**stamp** was asked for by @ana and ran in this run");

        // A feedback run with nothing to answer on the pull request runs what was ticked since.
        _github.EditIssue(number, "ana", text => text.Replace("- [ ] **stamp**", "- [x] **stamp**", StringComparison.Ordinal));
        var feedback = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1", "--json");

        feedback.ExitCode.ShouldBe(0, feedback.All);
        JsonDocument.Parse(feedback.Output).RootElement.GetProperty("missions")[0].GetProperty("missionId").GetString().ShouldBe("stamp");
        ((string)_github.Issues.ShouldHaveSingleItem()["body"]!).ShouldNotContain("- [x]");
        _github.Issues.Count.ShouldBe(1, "one dashboard issue, never a second");
    }
}
