using System.Diagnostics;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.GitHub.Review;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// Octokit's clients take no cancellation token; these tests prove the caller's token still reaches the HTTP
/// request, against the emulator over real HTTP, by a request the emulator never answers.
/// </summary>
public sealed class GitHubCancellationTests : IAsyncLifetime
{
    private readonly TempGitRepo _repo = new();
    private readonly string _bare = Directory.CreateTempSubdirectory("loops-origin-").FullName;
    private GitHubEmulator _github = null!;

    public async Task InitializeAsync()
    {
        TempGitRepo.RunGit(_bare, "init", "-q", "--bare", "-b", "main");
        _github = await GitHubEmulator.StartAsync(_bare);
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        _repo.Dispose();
        Directory.Delete(_bare, recursive: true);
    }

    [Fact]
    public async Task ApiCall_WhenTheCallerCancels_AbortsTheRequestInFlight()
    {
        _github.Hang("/pulls");
        var target = await TargetAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        // Without the token reaching the request, the call would wait for HttpClient's 100-second time-out: the guard fails first.
        var call = target.PendingFeedbackAsync("stamp", cancel.Token).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        await Should.ThrowAsync<OperationCanceledException>(call);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(() => _github.AbortedRequests == 1);
        _github.AbortedRequests.ShouldBe(1);
    }

    private async Task<GitHubPullRequestTarget> TargetAsync()
    {
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner(), CancellationToken.None);
        var settings = new GitHubSettings(new Uri(_github.BaseUrl), "octo", "shop", "ghs_TESTTOKEN", "origin", ["OWNER"]);
        return new GitHubPullRequestTarget(settings, git, TimeSpan.FromMilliseconds(100));
    }

    // The server learns of the abort a moment after the client gave up.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; waited < 5000 && !condition(); waited += 50)
        {
            await Task.Delay(50);
        }
    }
}
