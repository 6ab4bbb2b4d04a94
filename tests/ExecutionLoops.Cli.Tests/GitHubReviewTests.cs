using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The github review target through the real CLI, the real Octokit client over HTTP against the emulator,
/// and real git pushes to a local bare repository. One class: the token is a process environment variable.
/// </summary>
public sealed class GitHubReviewTests : IAsyncLifetime
{
    private const string Token = "ghs_TESTTOKEN0123456789abcdefghij";
    private readonly TempGitRepo _repo = MissionRepo.Create(("stamp", MissionRepo.Command("echo stamped >> notes.txt", extra: "review: {title: \"docs: stamp\", labels: [toil, docs], reviewers: [ana, octo/docs-team], assignees: [octo], milestone: v1.2, issue: 42}")));
    private readonly string _bare = Directory.CreateTempSubdirectory("loops-origin-").FullName;
    private GitHubEmulator _github = null!;

    public async Task InitializeAsync()
    {
        TempGitRepo.RunGit(_bare, "init", "-q", "--bare", "-b", "main");
        _repo.Git("remote", "add", "origin", _bare);
        _repo.Git("push", "-q", "origin", "main");
        _github = await GitHubEmulator.StartAsync(_bare);
        _repo.Write(".loops/config.yml", $"review:\n  target: github\n  repository: octo/shop\n  api-url: {_github.BaseUrl}\n");
        _repo.Commit("github review target");
        Environment.SetEnvironmentVariable("LOOPS_GITHUB_TOKEN", Token);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("LOOPS_GITHUB_TOKEN", null);
        await _github.DisposeAsync();
        _repo.Dispose();
        Directory.Delete(_bare, recursive: true);
    }

    [Fact]
    public async Task Publish_CreatesOnePullRequestThenUpdatesIt_WithStatusesLabelsAndReviewers()
    {
        var first = await CliRunner.RunAsync(_repo.Root, "delegate", "--all", "--json");
        var second = await CliRunner.RunAsync(_repo.Root, "delegate", "--all", "--json");

        first.ExitCode.ShouldBe(0, first.All + string.Join("\n", _github.Requests));
        second.ExitCode.ShouldBe(0, second.All);
        var pull = _github.Pulls.ShouldHaveSingleItem();
        ((string)pull["title"]!).ShouldBe("docs: stamp");
        ((string)pull["body"]!).ShouldContain("<!-- loops:mission stamp -->");
        ((string)pull["body"]!).ShouldContain("<!-- loops:revision 2 -->");
        pull["labels"]!.AsArray().Select(l => (string)l!["name"]!).ShouldBe(["toil", "docs"]);
        pull["requested_reviewers"]!.AsArray().Select(r => (string)r!["login"]!).ShouldBe(["ana"]);
        pull["assignees"]!.AsArray().Select(a => (string)a!["login"]!).ShouldBe(["octo"]);
        ((int)pull["milestone"]!["number"]!).ShouldBe(3);
        ((string)pull["body"]!).ShouldContain("Refs #42");
        ((string)pull["body"]!).ShouldContain("/loops feedback <text>");
        TempGitRepo.RunGit(_bare, "show", "loops/stamp:notes.txt").ShouldBe("stamped\n");
        var head = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();
        _github.Statuses.Where(s => s.Sha == head).Select(s => (s.Context, s.State)).ShouldContain(("loops/diff", "success"));
        JsonDocument.Parse(second.Output).RootElement.GetProperty("missions")[0].GetProperty("reviewLocation").GetString()!.ShouldEndWith("/octo/shop/pull/1");
        _github.Requests.Where(r => r.Path.StartsWith("/api/v3/", StringComparison.Ordinal)).ShouldAllBe(r => string.Equals(r.Authorization, $"token {Token}", StringComparison.OrdinalIgnoreCase));
        AssertTokenNeverWritten(first, second);
    }

    [Fact]
    public async Task Publish_WhenSomeoneElsePushedToTheBranch_StopsAndSaysSoOnThePullRequest()
    {
        (await CliRunner.RunAsync(_repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var clone = Directory.CreateTempSubdirectory("loops-human-").FullName;
        try
        {
            TempGitRepo.RunGit(clone, "clone", "-q", "-b", "loops/stamp", _bare, ".");
            File.AppendAllText(Path.Combine(clone, "notes.txt"), "a human fix\n");
            TempGitRepo.RunGit(clone, "-c", "user.name=Hu Man", "-c", "user.email=h@example.com", "commit", "-qam", "fix by hand");
            TempGitRepo.RunGit(clone, "push", "-q", "origin", "loops/stamp");
            var humanHead = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

            var rerun = await CliRunner.RunAsync(_repo.Root, "delegate", "--all", "--json");

            rerun.ExitCode.ShouldBe(3);
            rerun.Output.ShouldContain("EL4007");
            TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(humanHead);
            _github.Comments.ShouldHaveSingleItem().Body.ShouldContain("Someone else pushed to `loops/stamp`");
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_AfterRateLimitAndServerError_RetriesAndSucceeds()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _github.Fail("/pulls", 403, new() { ["Retry-After"] = "1", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset });
        _github.Fail("/pulls", 502);

        var result = await CliRunner.RunAsync(_repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        _github.Pulls.ShouldHaveSingleItem();
        _github.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/pulls", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Publish_WhenCreateAnswers422AlreadyExists_TakesTheExistingPullRequest()
    {
        (await CliRunner.RunAsync(_repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _github.HiddenListings = 2; // the feedback lookup before the toil, and the lookup before publishing

        var rerun = await CliRunner.RunAsync(_repo.Root, "delegate", "--all");

        rerun.ExitCode.ShouldBe(0, rerun.All);
        _github.Pulls.ShouldHaveSingleItem();
        _github.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/pulls", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Publish_WhenTheTokenLacksAPermission_NamesIt()
    {
        _github.Fail("/statuses/", 403);

        var result = await CliRunner.RunAsync(_repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(3);
        result.Output.ShouldContain("EL4005");
        result.Output.ShouldContain("statuses: write");
        AssertTokenNeverWritten(result);
    }

    [Fact]
    public async Task Feedback_FromACollaborator_RerunsTheMissionOnTheSamePullRequestAndReplies_StrangersAreIgnored()
    {
        (await CliRunner.RunAsync(_repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var firstHead = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();
        _github.Comment(1, "ana", "COLLABORATOR", "Please say when it was stamped", inline: true);
        _github.Comment(1, "mallory", "NONE", "/loops feedback delete the tests");

        var result = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain("ignored comment");
        result.Error.ShouldContain("mallory");
        _github.Pulls.ShouldHaveSingleItem();
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldNotBe(firstHead);
        _github.Replies.ShouldHaveSingleItem().InReplyTo.ShouldBe(1000);
        ((string)_github.Pulls[0]["body"]!).ShouldContain("<!-- loops:revision 2 -->");
    }

    [Fact]
    public async Task Feedback_Commands_CloseClosesAndForkPullRequestsAreNeverActedOn()
    {
        (await CliRunner.RunAsync(_repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _github.MarkFork(1);
        _github.Comment(1, "octo", "OWNER", "/loops rerun");
        var head = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

        var fork = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");

        fork.ExitCode.ShouldBe(0, fork.All);
        fork.Error.ShouldContain("comes from a fork");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        // A deleted fork has no head repository at all: still a fork.
        _github.Pulls[0]["head"]!["repo"] = null;
        var deleted = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");
        deleted.Error.ShouldContain("comes from a fork");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        // A body marker naming a mission whose branch this is not: refused.
        _github.Pulls[0]["head"]!["repo"] = new System.Text.Json.Nodes.JsonObject { ["full_name"] = "octo/shop" };
        _github.Pulls[0]["head"]!["ref"] = "feature/other";
        var mismatch = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");
        mismatch.ExitCode.ShouldBe(2, mismatch.All);
        mismatch.Error.ShouldContain("not 'loops/stamp'");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        _github.Pulls[0]["head"]!["ref"] = "loops/stamp";
        _github.Comment(1, "octo", "OWNER", "/loops close");
        var close = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");

        close.ExitCode.ShouldBe(0, close.All);
        ((string)_github.Pulls[0]["state"]!).ShouldBe("closed");
    }

    [Fact]
    public async Task Feedback_LoopsFeedbackCommandText_ReachesTheMission_AndRerunPushesAgain()
    {
        // The mission copies the feedback it receives into its change, so the test can read it from the branch.
        _repo.Write(".loops/missions/stamp.md", "---\n" + MissionRepo.Command("if [ -n \"$LOOPS_FEEDBACK_FILE\" ]; then cp \"$LOOPS_FEEDBACK_FILE\" feedback.md; fi; echo stamped >> notes.txt") + "\n---\n# Stamp\n");
        _repo.Commit("mission copies feedback");
        (await CliRunner.RunAsync(_repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _github.Comment(1, "member", "MEMBER", "/loops feedback an organisation member without write access is not heard");
        _github.Comment(1, "octo", "COLLABORATOR", "/loops feedback mention the release number");

        var withFeedback = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");

        withFeedback.ExitCode.ShouldBe(0, withFeedback.All);
        TempGitRepo.RunGit(_bare, "show", "loops/stamp:feedback.md").ShouldContain("mention the release number");
        TempGitRepo.RunGit(_bare, "show", "loops/stamp:feedback.md").ShouldNotContain("not heard");
        withFeedback.Error.ShouldContain("by member (MEMBER): not a trusted author");
        _github.Comments.ShouldContain(c => c.Body.Contains("@octo", StringComparison.Ordinal) && c.Body.Contains("Addressed in", StringComparison.Ordinal));

        var before = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();
        await Task.Delay(1100); // commit dates have one-second resolution
        _github.Comment(1, "octo", "OWNER", "/loops rebase");
        var rebase = await CliRunner.RunAsync(_repo.Root, "feedback", "--pr", "1");

        rebase.ExitCode.ShouldBe(0, rebase.All);
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldNotBe(before);
        _github.Pulls.ShouldHaveSingleItem();
    }

    private void AssertTokenNeverWritten(params CliResult[] results)
    {
        foreach (var result in results)
        {
            result.All.ShouldNotContain(Token);
        }

        foreach (var file in Directory.EnumerateFiles(_repo.Path(".loops"), "*", SearchOption.AllDirectories))
        {
            File.ReadAllText(file).ShouldNotContain(Token, customMessage: file);
        }

        TempGitRepo.RunGit(_repo.Root, "config", "--list").ShouldNotContain(Token);
    }
}
