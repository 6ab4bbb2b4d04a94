using System.Text;
using System.Text.Json;
using ExecutionLoops.AzureDevOps.Repos;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The azure-repos review target through the real CLI and its real HTTP client against the Azure DevOps emulator, with
/// real git pushes to a local bare repository: publishing, the shared feedback scenarios through
/// <see cref="ReviewConversationScenarios"/> (trust from Contributors membership, nested groups included), and what only
/// Azure Repos has (required/optional reviewers, work items, auto-complete, statuses of genre execution-loops).
/// One class: the token is a process environment variable.
/// </summary>
public sealed class AzureReposReviewTests() : ReviewConversationScenarios(StampReview)
{
    private const string Token = "azdopat7q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7j8k9l0zxcvbnm";
    private const string StampReview = "review: {title: \"docs: stamp\", labels: [toil, docs], reviewers: [ana@contoso.com], optional-reviewers: [octo@contoso.com], work-items: [42], auto-complete: true}";
    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($":{Token}"));

    private readonly string _bare = Directory.CreateTempSubdirectory("loops-azorigin-").FullName;
    private AzureDevOpsEmulator _azure = null!;

    protected override string[] FeedbackItem => ["--pr", "1"];

    protected override async Task StartTargetAsync()
    {
        TempGitRepo.RunGit(_bare, "init", "-q", "--bare", "-b", "main");
        Repo.Git("remote", "add", "origin", _bare);
        Repo.Git("push", "-q", "origin", "main");
        _azure = await AzureDevOpsEmulator.StartAsync(_bare, $"Basic {Basic}");
        Repo.Write(".loops/config.yml", $"review:\n  target: azure-repos\n  collection-url: {_azure.BaseUrl}\n  project: {AzureDevOpsEmulator.Project}\n  repository: {AzureDevOpsEmulator.Repository}\n");
        Repo.Commit("azure-repos review target");
        Environment.SetEnvironmentVariable(AzureReposSettings.Variables.Pat, Token);
    }

    protected override async Task StopTargetAsync()
    {
        Environment.SetEnvironmentVariable(AzureReposSettings.Variables.Pat, null);
        await _azure.DisposeAsync();
        Directory.Delete(_bare, recursive: true);
    }

    protected override Task<long> CommentAsync(string author, string body, bool onALine = false) =>
        Task.FromResult((long)_azure.Comment(1, author, body, onALine));

    protected override string IgnoredAuthor(string author) => $"{author}@contoso.com";

    protected override Task<IReadOnlyList<string>> AnswersToAsync(long commentId, string author) =>
        Task.FromResult(_azure.RepliesIn(1, (int)commentId));

    protected override Task<IReadOnlyList<PublishedItem>> ItemsAsync()
    {
        IReadOnlyList<PublishedItem> items = _azure.Pulls.Select(p => new PublishedItem((string)p["status"]! == "active", (bool)p["isDraft"]!, AzureReposMarkers.RevisionIn((string?)p["description"]))).ToList();
        return Task.FromResult(items);
    }

    protected override string PublishedHead() => TempGitRepo.RunGit(_bare, "rev-parse", "loops/stamp").Trim();

    protected override string PublishedFile(string path) => TempGitRepo.RunGit(_bare, "show", $"loops/stamp:{path}");

    [Fact]
    public async Task Publish_CreatesOnePullRequestThenUpdatesIt_WithStatusesLabelsReviewersWorkItemsAndAutoComplete()
    {
        var first = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");
        var second = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");

        first.ExitCode.ShouldBe(0, first.All + string.Join("\n", _azure.Requests));
        second.ExitCode.ShouldBe(0, second.All);
        var pull = _azure.Pulls.ShouldHaveSingleItem();
        ((string)pull["title"]!).ShouldBe("docs: stamp");
        ((string)pull["sourceRefName"]!).ShouldBe("refs/heads/loops/stamp");
        ((string)pull["targetRefName"]!).ShouldBe("refs/heads/main");
        var description = (string)pull["description"]!;
        description.ShouldContain("<!-- loops:mission stamp -->");
        description.ShouldContain("<!-- loops:revision 2 -->");
        description.ShouldContain("::: mermaid\ngantt");
        description.ShouldNotContain("```mermaid");
        description.ShouldContain("/loops feedback <text>");
        description.Length.ShouldBeLessThanOrEqualTo(4000);
        pull["labels"]!.AsArray().Select(l => (string)l!["name"]!).ShouldBe(["toil", "docs"]);
        var reviewers = pull["reviewers"]!.AsArray().Select(r => ((string)r!["displayName"]!, (bool)r["isRequired"]!)).ToList();
        reviewers.ShouldBe([("Ana", true), ("Octo", false)]);
        pull["workItemRefs"]!.AsArray().Select(w => (string)w!["id"]!).ShouldBe(["42"]);
        ((string)pull["autoCompleteSetBy"]!["id"]!).ShouldBe(AzureDevOpsEmulator.BuildServiceId);
        ((bool)pull["completionOptions"]!["deleteSourceBranch"]!).ShouldBeTrue();
        TempGitRepo.RunGit(_bare, "show", "loops/stamp:notes.txt").ShouldBe("stamped\n");
        var diff = _azure.Statuses.Last(s => (string)s.Status["context"]!["name"]! == "diff").Status;
        ((string)diff["state"]!).ShouldBe("succeeded");
        ((string)diff["context"]!["genre"]!).ShouldBe("execution-loops");
        JsonDocument.Parse(second.Output).RootElement.GetProperty("missions")[0].GetProperty("reviewLocation").GetString()!
            .ShouldBe($"{_azure.BaseUrl}Shop%20Project/_git/shop/pullrequest/1");
        _azure.Requests.ShouldAllBe(r => r.Authorization == $"Basic {Basic}");
        _azure.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.Contains("/pullrequests?", StringComparison.Ordinal)).ShouldBe(1);
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
            var said = _azure.Threads[1].ShouldHaveSingleItem();
            ((string)said["comments"]![0]!["content"]!).ShouldContain("Someone else pushed to `loops/stamp`");
            _azure.Pulls.ShouldHaveSingleItem();
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_AfterThrottlingAndAServerError_RetriesAndSucceeds()
    {
        _azure.Fail("/pullrequests", 429, new() { ["Retry-After"] = "1" });
        _azure.Fail("/pullrequests", 503);

        var result = await CliRunner.RunAsync(Repo.Root, "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        _azure.Pulls.ShouldHaveSingleItem();
        _azure.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/pullrequests?searchCriteria", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Publish_WhenCreateAnswers409AlreadyExists_TakesTheExistingPullRequest()
    {
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        _azure.HiddenListings = 2; // the feedback lookup before the toil, and the lookup before publishing

        var rerun = await CliRunner.RunAsync(Repo.Root, "delegate", "--all");

        rerun.ExitCode.ShouldBe(0, rerun.All);
        _azure.Pulls.ShouldHaveSingleItem();
        AzureReposMarkers.RevisionIn((string?)_azure.Pulls[0]["description"]).ShouldBe(2);
    }

    [Fact]
    public async Task Publish_WhenTheIdentityLacksAPermission_NamesIt()
    {
        _azure.Fail("/statuses", 403);

        var result = await CliRunner.RunAsync(Repo.Root, "delegate", "--all", "--json");

        result.ExitCode.ShouldBe(3);
        result.Output.ShouldContain("EL4012");
        result.Output.ShouldContain("Contribute to pull requests");
        AssertTokenNeverWritten(result);
    }

    [Fact]
    public async Task Feedback_TrustedNamedInTheConfig_ReplacesContributors_AndAnUnknownNameIsEL4014()
    {
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        Repo.Write(".loops/config.yml", File.ReadAllText(Repo.Path(".loops/config.yml")) + "  trusted: mallory@contoso.com\n");
        Repo.Commit("trust mallory only");
        _azure.Comment(1, "ana", "/loops close");
        var head = PublishedHead();

        var onlyMallory = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");

        onlyMallory.ExitCode.ShouldBe(0, onlyMallory.All);
        onlyMallory.Error.ShouldContain("ignored comment");
        ((string)_azure.Pulls[0]["status"]!).ShouldBe("active");

        _azure.Comment(1, "mallory", "/loops close");
        var close = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");
        close.ExitCode.ShouldBe(0, close.All);
        ((string)_azure.Pulls[0]["status"]!).ShouldBe("abandoned");
        PublishedHead().ShouldBe(head);

        Repo.Write(".loops/config.yml", File.ReadAllText(Repo.Path(".loops/config.yml")).Replace("mallory@contoso.com", "nobody@contoso.com", StringComparison.Ordinal));
        Repo.Commit("trust a stranger");
        _azure.Comment(1, "ana", "/loops rerun");
        var unknown = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");
        unknown.ExitCode.ShouldBe(2, unknown.All);
        unknown.Error.ShouldContain("EL4014");
    }

    [Fact]
    public async Task Feedback_FromAStrangerWhoseNameIsALoggingCommand_IsIgnoredWithoutTheCommandReachingTheLog()
    {
        (await CliRunner.RunAsync(Repo.Root, "delegate", "--all")).ExitCode.ShouldBe(0);
        var head = PublishedHead();
        _azure.Comment(1, "mallory", "/loops rerun", uniqueName: "##vso[task.setvariable variable=LOOPS_OWNED]yes");

        var result = await CliRunner.RunAsync(Repo.Root, "feedback", "--pr", "1");

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain("ignored comment");
        result.All.ShouldNotContain("##vso[");
        PublishedHead().ShouldBe(head);
    }

    private void AssertTokenNeverWritten(params CliResult[] results)
    {
        foreach (var secret in new[] { Token, Basic })
        {
            foreach (var result in results)
            {
                result.All.ShouldNotContain(secret);
            }

            foreach (var file in Directory.EnumerateFiles(Repo.Path(".loops"), "*", SearchOption.AllDirectories))
            {
                File.ReadAllText(file).ShouldNotContain(secret, customMessage: file);
            }

            TempGitRepo.RunGit(Repo.Root, "config", "--list").ShouldNotContain(secret);
            File.ReadAllText(Path.Combine(_bare, "config")).ShouldNotContain(secret);
            foreach (var pull in _azure.Pulls)
            {
                pull.ToJsonString().ShouldNotContain(secret);
            }
        }
    }
}
