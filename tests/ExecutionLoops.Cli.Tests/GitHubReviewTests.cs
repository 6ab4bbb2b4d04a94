using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.GitHub.Review;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The github review target through the real CLI, the real Octokit client over HTTP against the emulator,
/// and real git pushes to a local bare repository: publishing here, the shared feedback scenarios through
/// <see cref="ReviewConversationScenarios"/>, and what only pull requests have (forks, associations).
/// One class: the token is a process environment variable.
/// </summary>
public sealed partial class GitHubReviewTests() : ReviewConversationScenarios(StampReview)
{
    private const string Token = "ghs_TESTTOKEN0123456789abcdefghij";
    private const string StampReview = "review: {title: \"docs: stamp\", labels: [toil, docs], reviewers: [ana, octo/docs-team], assignees: [octo], milestone: v1.2, issue: 42}";

    // How GitHub relates each reviewer of the shared scenarios to the repository.
    private static readonly Dictionary<string, string> Associations = new() { ["ana"] = "COLLABORATOR", ["octo"] = "OWNER", ["mallory"] = "NONE", ["member"] = "MEMBER" };

    private readonly string _bare = Directory.CreateTempSubdirectory("loops-origin-").FullName;
    private GitHubEmulator _github = null!;

    protected override string[] FeedbackItem => ["--pr", "1"];

    protected override async Task StartTargetAsync()
    {
        TempGitRepo.RunGit(_bare, "init", "-q", "--bare", "-b", "main");
        Repo.Git("remote", "add", "origin", _bare);
        Repo.Git("push", "-q", "origin", "main");
        _github = await GitHubEmulator.StartAsync(_bare);
        Repo.Write(".loops/config.yml", $"review:\n  target: github\n  repository: octo/shop\n  api-url: {_github.BaseUrl}\n");
        Repo.Commit("github review target");
        Environment.SetEnvironmentVariable("LOOPS_GITHUB_TOKEN", Token);
    }

    protected override async Task StopTargetAsync()
    {
        Environment.SetEnvironmentVariable("LOOPS_GITHUB_TOKEN", null);
        await _github.DisposeAsync();
        Directory.Delete(_bare, recursive: true);
    }

    protected override Task<long> CommentAsync(string author, string body, bool onALine = false) =>
        Task.FromResult(_github.Comment(1, author, Associations[author], body, inline: onALine));

    protected override string IgnoredAuthor(string author) => $"{author} ({Associations[author]})";

    protected override Task<IReadOnlyList<string>> AnswersToAsync(long commentId, string author)
    {
        // Line comments are answered in their threads; conversation comments once on the pull request, naming their authors.
        IReadOnlyList<string> answers =
        [
            .. _github.Replies.Where(r => r.InReplyTo == commentId).Select(r => r.Body),
            .. _github.Comments.Where(c => c.Body.Contains($"@{author}", StringComparison.Ordinal)).Select(c => c.Body),
        ];
        return Task.FromResult(answers);
    }

    protected override Task<IReadOnlyList<PublishedItem>> ItemsAsync()
    {
        IReadOnlyList<PublishedItem> items = _github.Pulls.Select(p => new PublishedItem((string)p["state"]! == "open", (bool)p["draft"]!, PullRequestMarkers.RevisionIn((string?)p["body"]))).ToList();
        return Task.FromResult(items);
    }

    protected override string PublishedHead() => TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

    protected override string PublishedFile(string path) => TempGitRepo.RunGit(_bare, "show", $"loops/stamp:{path}");

    [Fact]
    public async Task Publish_CreatesOnePullRequestThenUpdatesIt_WithStatusesLabelsAndReviewers()
    {
        var first = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");
        var second = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");

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
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var clone = Directory.CreateTempSubdirectory("loops-human-").FullName;
        try
        {
            TempGitRepo.RunGit(clone, "clone", "-q", "-b", "loops/stamp", _bare, ".");
            File.AppendAllText(Path.Combine(clone, "notes.txt"), "a human fix\n");
            TempGitRepo.RunGit(clone, "-c", "user.name=Hu Man", "-c", "user.email=h@example.com", "commit", "-qam", "fix by hand");
            TempGitRepo.RunGit(clone, "push", "-q", "origin", "loops/stamp");
            var humanHead = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

            var rerun = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");

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

        var result = await CliRunner.RunAsync(Repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        _github.Pulls.ShouldHaveSingleItem();
        _github.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/pulls", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Publish_WhenCreateAnswers422AlreadyExists_TakesTheExistingPullRequest()
    {
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _github.HiddenListings = 2; // the feedback lookup before the toil, and the lookup before publishing

        var rerun = await CliRunner.RunAsync(Repo.Root, "delegate", "--all");

        rerun.ExitCode.ShouldBe(0, rerun.All);
        _github.Pulls.ShouldHaveSingleItem();
        _github.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/pulls", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Publish_WhenTheTokenLacksAPermission_NamesIt()
    {
        _github.Fail("/statuses/", 403);

        var result = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(3);
        result.Output.ShouldContain("EL4005");
        result.Output.ShouldContain("statuses: write");
        AssertTokenNeverWritten(result);
    }

    [Fact]
    public async Task Feedback_Commands_CloseClosesAndForkPullRequestsAreNeverActedOn()
    {
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _github.MarkFork(1);
        _github.Comment(1, "octo", "OWNER", "/loops rerun");
        var head = TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

        var fork = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");

        fork.ExitCode.ShouldBe(0, fork.All);
        fork.Error.ShouldContain("comes from a fork");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        // A deleted fork has no head repository at all: still a fork.
        _github.Pulls[0]["head"]!["repo"] = null;
        var deleted = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");
        deleted.Error.ShouldContain("comes from a fork");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        // A body marker naming a mission whose branch this is not: refused.
        _github.Pulls[0]["head"]!["repo"] = new System.Text.Json.Nodes.JsonObject { ["full_name"] = "octo/shop" };
        _github.Pulls[0]["head"]!["ref"] = "feature/other";
        var mismatch = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");
        mismatch.ExitCode.ShouldBe(2, mismatch.All);
        mismatch.Error.ShouldContain("not 'loops/stamp'");
        TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim().ShouldBe(head);

        _github.Pulls[0]["head"]!["ref"] = "loops/stamp";
        _github.Comment(1, "octo", "OWNER", "/loops close");
        var close = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");

        close.ExitCode.ShouldBe(0, close.All);
        ((string)_github.Pulls[0]["state"]!).ShouldBe("closed");
    }

    private void AssertTokenNeverWritten(params CliResult[] results)
    {
        foreach (var result in results)
        {
            result.All.ShouldNotContain(Token);
        }

        foreach (var file in Directory.EnumerateFiles(Repo.Path(".loops"), "*", SearchOption.AllDirectories))
        {
            File.ReadAllText(file).ShouldNotContain(Token, customMessage: file);
        }

        TempGitRepo.RunGit(Repo.Root, "config", "--list").ShouldNotContain(Token);
    }
}
