using System.Globalization;
using System.Text;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Review;
using ExecutionLoops.Workspace;
using Octokit;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// <c>review.target: github</c>: pushes the mission branch (token in an auth header passed through the
/// environment, never in a URL or a log) and creates or updates one pull request per mission, found by
/// its head branch and a hidden marker. Gates become commit statuses. When someone else pushed to the
/// branch, it stops updating it and says so on the pull request.
/// </summary>
internal sealed class GitHubPullRequestTarget : IReviewTarget
{
    private readonly GitHubSettings _settings;
    private readonly GitRepository _git;
    private readonly GitHubApi _api;
    private readonly GitHubPullRequestConversation _conversation;
    private readonly TimeProvider _clock;

    /// <summary>Creates the target; <paramref name="maxRetryDelay"/> caps waits for rate limits (tests shorten it).</summary>
    /// <param name="settings">Repository, API URL and token.</param>
    /// <param name="git">The user's repository.</param>
    /// <param name="maxRetryDelay">The longest wait for a rate limit.</param>
    /// <param name="clock">The clock rate-limit resets are measured on (default: the system clock).</param>
    public GitHubPullRequestTarget(GitHubSettings settings, GitRepository git, TimeSpan? maxRetryDelay = null, TimeProvider? clock = null)
    {
        _settings = settings;
        _git = git;
        _api = new GitHubApi(settings, maxRetryDelay ?? TimeSpan.FromMinutes(2), clock ?? TimeProvider.System);
        _conversation = new GitHubPullRequestConversation(_api, settings);
        _clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => "github";

    /// <inheritdoc />
    public string? LogUrl => _settings.RunUrl;

    /// <inheritdoc />
    public IReviewConversation Conversation => _conversation;

    /// <inheritdoc />
    public IMissionDashboard Dashboard => new GitHubMissionDashboard(_api, _settings, _clock);

    /// <inheritdoc />
    public string FeedbackHowTo(string missionId) =>
        $"Comment on this pull request (on a line or in the conversation), or write `/loops feedback <text>`, `/loops rerun`, `/loops rebase`, `/loops ready`, `/loops draft` or `/loops close`. Comments from people with write access go back to mission `{missionId}`, which runs again on this branch and answers here.";

    /// <inheritdoc />
    public async Task<ReviewItem> PublishAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var marker = PullRequestMarkers.Mission(request.Brief.Id);
        var existing = await FindAsync(request.Branch, marker, cancellationToken);
        var remoteHead = await RemoteHeadAsync(request.Branch, cancellationToken);
        if (remoteHead is not null && remoteHead != request.HeadCommit && !await IsOursAsync(remoteHead, cancellationToken))
        {
            if (existing is not null)
            {
                await CallAsync("comment on the pull request", "pull-requests: write", client => client.Issue.Comment.Create(_settings.Owner, _settings.Repository, existing.Number, $"Someone else pushed to `{request.Branch}`, so ExecutionLoops stopped updating this pull request. Merge or close it, or delete the branch to let mission `{request.Brief.Id}` start afresh. {PullRequestMarkers.Comment}"), cancellationToken);
            }

            throw LoopsException.Infrastructure(DiagnosticCodes.BranchTakenOver, $"Someone else pushed to {request.Branch}; ExecutionLoops stopped updating it.", "Merge or close the pull request, or delete the branch.");
        }

        if (remoteHead != request.HeadCommit)
        {
            await PushAsync(request.Branch, request.HeadCommit, remoteHead, cancellationToken);
        }

        var revision = existing is null ? 1 : PullRequestMarkers.RevisionIn(existing.Body) + (existing.Head.Sha == request.HeadCommit ? 0 : 1);
        var body = $"{request.Body}\n\n{marker}\n{PullRequestMarkers.Revision(revision)}\n";
        PullRequest pull;
        var created = existing is null;
        if (existing is null)
        {
            pull = await CreateAsync(request, body, marker, cancellationToken);
        }
        else
        {
            pull = await CallAsync("update the pull request", "pull-requests: write", client => client.PullRequest.Update(_settings.Owner, _settings.Repository, existing.Number, new PullRequestUpdate { Title = request.Title, Body = body }), cancellationToken);

            // As in the local queue, the latest revision's gates decide draft or ready (REST updates cannot).
            await _conversation.SetDraftAsync(pull, request.Draft, cancellationToken);
        }

        if (request.Brief.Review.Labels.Count > 0)
        {
            await CallAsync("set labels", "issues: write", client => client.Issue.Labels.ReplaceAllForIssue(_settings.Owner, _settings.Repository, pull.Number, request.Brief.Review.Labels.ToArray()), cancellationToken);
        }

        if (created && request.Brief.Review.Reviewers.Count > 0)
        {
            var users = request.Brief.Review.Reviewers.Where(r => !r.Contains('/', StringComparison.Ordinal)).ToList();
            var teams = request.Brief.Review.Reviewers.Where(r => r.Contains('/', StringComparison.Ordinal)).Select(r => r[(r.IndexOf('/', StringComparison.Ordinal) + 1)..]).ToList();
            await CallAsync("request reviewers", "pull-requests: write", client => client.PullRequest.ReviewRequest.Create(_settings.Owner, _settings.Repository, pull.Number, new PullRequestReviewRequest(users, teams)), cancellationToken);
        }

        if (request.Brief.Review.Assignees.Count > 0)
        {
            await CallAsync("assign the pull request", "issues: write", client => client.Issue.Assignee.AddAssignees(_settings.Owner, _settings.Repository, pull.Number, new AssigneesUpdate(request.Brief.Review.Assignees.ToList())), cancellationToken);
        }

        if (request.Brief.Review.Milestone is { } title)
        {
            var milestones = await CallAsync("read milestones", "issues: read", client => client.Issue.Milestone.GetAllForRepository(_settings.Owner, _settings.Repository), cancellationToken);
            var milestone = milestones.FirstOrDefault(m => string.Equals(m.Title, title, StringComparison.OrdinalIgnoreCase))
                ?? throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, $"The milestone '{title}' does not exist in {_settings.Owner}/{_settings.Repository}.", "Fix review.milestone in the brief or create the milestone.", request.Brief.RelativePath);
            await CallAsync("set the milestone", "issues: write", client => client.Issue.Update(_settings.Owner, _settings.Repository, pull.Number, new IssueUpdate { Milestone = milestone.Number }), cancellationToken);
        }

        foreach (var gate in request.Gates)
        {
            var status = new NewCommitStatus
            {
                State = gate.Status switch { GateStatus.Passed => CommitState.Success, GateStatus.Failed => gate.Required ? CommitState.Failure : CommitState.Error, _ => CommitState.Success },
                Context = $"loops/{gate.Name}",
                Description = Shorten($"{(gate.Required ? "" : "advisory: ")}{gate.Summary} ({gate.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)", 140),
            };
            await CallAsync($"set the {gate.Name} status", "statuses: write", client => client.Repository.Status.Create(_settings.Owner, _settings.Repository, request.HeadCommit, status), cancellationToken);
        }

        return new ReviewItem(pull.Number.ToString(CultureInfo.InvariantCulture), request.Brief.Id, pull.HtmlUrl, ReviewState.Open, revision, created);
    }

    /// <inheritdoc />
    /// <remarks>Trusted reviewers' comments on the mission's open pull request since loops last pushed.</remarks>
    public async Task<IReadOnlyList<ReviewFeedback>> PendingFeedbackAsync(string missionId, CancellationToken cancellationToken)
    {
        var pull = await FindAsync($"loops/{missionId}", PullRequestMarkers.Mission(missionId), cancellationToken);
        return pull is null ? [] : (await _conversation.ReadFeedbackAsync(pull.Number, cancellationToken)).Feedback;
    }

    private async Task<PullRequest?> FindAsync(string branch, string marker, CancellationToken cancellationToken)
    {
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{_settings.Owner}:{branch}" };
        var open = await CallAsync("list pull requests", "pull-requests: read", client => client.PullRequest.GetAllForRepository(_settings.Owner, _settings.Repository, request), cancellationToken);
        return open.FirstOrDefault(p => p.Head?.Ref == branch && (p.Body ?? "").Contains(marker, StringComparison.Ordinal));
    }

    private async Task<PullRequest> CreateAsync(ReviewRequest request, string body, string marker, CancellationToken cancellationToken)
    {
        var baseBranch = request.BaseBranch ?? throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, "A pull request needs a base branch, but the mission started from a detached HEAD.", "Set 'base-branch' in .loops/config.yml.");
        try
        {
            return await CallAsync("create the pull request", "pull-requests: write", client => client.PullRequest.Create(_settings.Owner, _settings.Repository, new NewPullRequest(request.Title, request.Branch, baseBranch) { Body = body, Draft = request.Draft }), cancellationToken);
        }
        catch (LoopsException ex) when (ex.InnerException is ApiValidationException validation && AlreadyExists(validation))
        {
            // 422 "already exists": a previous attempt created it; take that one.
            var found = await FindAsync(request.Branch, marker, cancellationToken);
            if (found is null)
            {
                throw;
            }

            return found;
        }
    }

    private static bool AlreadyExists(ApiValidationException validation) =>
        validation.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
        || (validation.ApiError?.Errors?.Any(e => (e.Message ?? "").Contains("already exists", StringComparison.OrdinalIgnoreCase)) ?? false);

    private async Task<bool> IsOursAsync(string commit, CancellationToken cancellationToken)
    {
        var found = await CallAsync("read a commit", "contents: read", client => client.Git.Commit.Get(_settings.Owner, _settings.Repository, commit), cancellationToken);
        return found.Message.Contains("Loops-Run: ", StringComparison.Ordinal);
    }

    private async Task<string?> RemoteHeadAsync(string branch, CancellationToken cancellationToken)
    {
        var result = await _git.RunWithEnvironmentAsync(["ls-remote", _settings.Remote, $"refs/heads/{branch}"], AuthEnvironment(), cancellationToken);
        if (!result.Succeeded)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PushFailed, $"Cannot read {branch} from the remote '{_settings.Remote}' (git exit {result.ExitCode}).", "Check the remote and that the token has 'contents: write'.");
        }

        var line = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return line?.Split('\t')[0].Trim();
    }

    private async Task PushAsync(string branch, string commit, string? expected, CancellationToken cancellationToken)
    {
        var lease = $"--force-with-lease=refs/heads/{branch}:{expected ?? ""}";
        var result = await _git.RunWithEnvironmentAsync(["push", "--quiet", lease, _settings.Remote, $"{commit}:refs/heads/{branch}"], AuthEnvironment(), cancellationToken);
        if (!result.Succeeded)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PushFailed, $"Pushing {branch} to '{_settings.Remote}' failed (git exit {result.ExitCode}).", "Check that the token has 'contents: write' and that nobody pushed meanwhile; the run can be resumed.");
        }
    }

    /// <summary>The token travels as an HTTP header set through git's environment config: not on the command line, not in a URL.</summary>
    private Dictionary<string, string?> AuthEnvironment() => new()
    {
        ["GIT_CONFIG_COUNT"] = "1",
        ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
        ["GIT_CONFIG_VALUE_0"] = $"AUTHORIZATION: basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{_settings.Token}"))}",
    };

    private Task<T> CallAsync<T>(string what, string permission, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        _api.CallAsync(what, permission, call, cancellationToken);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
