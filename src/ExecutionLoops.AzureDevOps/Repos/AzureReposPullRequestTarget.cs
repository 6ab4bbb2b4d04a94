using System.Globalization;
using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Review;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// <c>review.target: azure-repos</c>: pushes the mission branch (the token in an auth header passed through git's
/// environment config, never in a URL, the repository config or a log) and creates or updates one pull request per
/// mission, found by its source branch and a hidden marker. A draft when advisory gates failed; required and optional
/// reviewers, labels and work items from the brief; auto-complete only when the brief asks and every required gate
/// passed; each gate a pull request status of genre <c>execution-loops</c>. When someone else pushed to the branch,
/// it stops updating it and says so on the pull request.
/// </summary>
internal sealed class AzureReposPullRequestTarget : IReviewTarget
{
    /// <summary>The genre of every status loops posts (statuses read as <c>execution-loops/&lt;gate&gt;</c> in branch policies).</summary>
    public const string StatusGenre = "execution-loops";

    private const string Contribute = "Contribute";
    private readonly AzureReposSettings _settings;
    private readonly GitRepository _git;
    private readonly AzureReposClient _client;
    private readonly AzureReposConversation _conversation;

    /// <summary>Creates the target; <paramref name="maxRetryDelay"/> caps the waits the server asks for (tests shorten it).</summary>
    public AzureReposPullRequestTarget(AzureReposSettings settings, GitRepository git, TimeSpan? maxRetryDelay = null, TimeProvider? clock = null)
    {
        _settings = settings;
        _git = git;
        _client = new AzureReposClient(new AzureDevOpsApi(settings, maxRetryDelay ?? TimeSpan.FromMinutes(2), clock ?? TimeProvider.System), settings);
        _conversation = new AzureReposConversation(_client, settings);
    }

    /// <inheritdoc />
    public string Name => "azure-repos";

    /// <inheritdoc />
    public string? LogUrl => _settings.RunUrl;

    /// <inheritdoc />
    public IReviewConversation Conversation => _conversation;

    /// <inheritdoc />
    public string FeedbackHowTo(string missionId) =>
        $"Comment on this pull request (on a line or in the overview), or write `/loops feedback <text>`, `/loops rerun`, `/loops rebase`, `/loops ready`, `/loops draft` or `/loops close`. Comments from trusted identities (by default the project's Contributors) go back to mission `{missionId}`, which runs again on this branch and answers in your thread.";

    /// <inheritdoc />
    public async Task<ReviewItem> PublishAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var marker = AzureReposMarkers.Mission(request.Brief.Id);
        var existing = await FindAsync(request.Branch, marker, cancellationToken);
        var remoteHead = await RemoteHeadAsync(request.Branch, cancellationToken);
        if (remoteHead is not null && remoteHead != request.HeadCommit && !await IsOursAsync(remoteHead, cancellationToken))
        {
            if (existing is not null)
            {
                await _client.CommentAsync(Id(existing), $"Someone else pushed to `{request.Branch}`, so ExecutionLoops stopped updating this pull request. Complete or abandon it, or delete the branch to let mission `{request.Brief.Id}` start afresh. {AzureReposMarkers.Comment}", cancellationToken);
            }

            throw LoopsException.Infrastructure(DiagnosticCodes.BranchTakenOver, $"Someone else pushed to {request.Branch}; ExecutionLoops stopped updating it.", "Complete or abandon the pull request, or delete the branch.");
        }

        // Reviewers are resolved before anything is pushed, so a misspelt name stops the publish cleanly.
        var reviewers = existing is null ? await ReviewersAsync(request, cancellationToken) : [];
        var pushed = remoteHead != request.HeadCommit;
        if (pushed)
        {
            await PushAsync(request.Branch, request.HeadCommit, remoteHead, cancellationToken);
        }

        JsonObject? pull = null;
        var revision = 1;
        if (existing is null)
        {
            pull = await CreateAsync(request, AzureReposDescription.Write(request.Body, $"{marker}\n{AzureReposMarkers.Revision(revision)}"), reviewers, cancellationToken);

            // 409: a pull request for these branches exists already (an earlier attempt made it, or a listing lagged): update that one.
            existing = pull is null
                ? await FindAsync(request.Branch, marker, cancellationToken) ?? throw LoopsException.Infrastructure(DiagnosticCodes.PublishFailed, $"An active pull request from {request.Branch} exists but was not opened by ExecutionLoops.", "Complete or abandon it, or delete the branch.")
                : null;
        }

        var created = existing is null;
        if (existing is not null)
        {
            var previousHead = (string?)existing["lastMergeSourceCommit"]?["commitId"];
            revision = AzureReposMarkers.RevisionIn((string?)existing["description"]) + (pushed || previousHead != request.HeadCommit ? 1 : 0);
            var changes = new JsonObject { ["title"] = request.Title, ["description"] = AzureReposDescription.Write(request.Body, $"{marker}\n{AzureReposMarkers.Revision(revision)}") };

            // As in the local queue, the latest revision's gates decide draft or ready.
            if ((bool?)existing["isDraft"] != request.Draft)
            {
                changes["isDraft"] = request.Draft;
            }

            pull = await _client.UpdatePullRequestAsync(Id(existing), changes, "update the pull request", cancellationToken);
        }

        var id = Id(pull!);
        await LabelAsync(id, request.Brief.Review.Labels, cancellationToken);
        await AutoCompleteAsync(pull!, request, cancellationToken);
        foreach (var gate in request.Gates)
        {
            await _client.SetStatusAsync(id, Status(gate), $"set the {gate.Name} status", cancellationToken);
        }

        return new ReviewItem(id.ToString(CultureInfo.InvariantCulture), request.Brief.Id, _settings.WebUrl(id), ReviewState.Open, revision, created);
    }

    /// <inheritdoc />
    /// <remarks>Trusted identities' comments on the mission's active pull request since loops last pushed.</remarks>
    public async Task<IReadOnlyList<ReviewFeedback>> PendingFeedbackAsync(string missionId, CancellationToken cancellationToken)
    {
        var pull = await FindAsync($"loops/{missionId}", AzureReposMarkers.Mission(missionId), cancellationToken);
        return pull is null ? [] : (await _conversation.ReadFeedbackAsync(Id(pull), cancellationToken)).Feedback;
    }

    /// <summary>The mission's active pull request: from its branch, carrying its marker (read whole: listings cut descriptions short).</summary>
    private async Task<JsonObject?> FindAsync(string branch, string marker, CancellationToken cancellationToken)
    {
        foreach (var candidate in (await _client.ActivePullRequestsAsync(branch, cancellationToken)).OrderBy(Id))
        {
            if (await _client.PullRequestAsync(Id(candidate), cancellationToken) is { } whole && ((string?)whole["description"] ?? "").Contains(marker, StringComparison.Ordinal))
            {
                return whole;
            }
        }

        return null;
    }

    /// <summary>Creates the pull request; null when one for the branches exists already (409).</summary>
    private async Task<JsonObject?> CreateAsync(ReviewRequest request, string description, JsonArray reviewers, CancellationToken cancellationToken)
    {
        var baseBranch = request.BaseBranch ?? throw LoopsException.InvalidInput(DiagnosticCodes.PublishFailed, "A pull request needs a target branch, but the mission started from a detached HEAD.", "Set 'base-branch' in .loops/config.yml.");
        var workItems = request.Brief.Review.WorkItems.Concat(request.Brief.Review.Issue is { } issue ? [issue] : []).Distinct();
        var body = new JsonObject
        {
            ["sourceRefName"] = $"refs/heads/{request.Branch}",
            ["targetRefName"] = $"refs/heads/{baseBranch}",
            ["title"] = request.Title,
            ["description"] = description,
            ["isDraft"] = request.Draft,
            ["reviewers"] = reviewers,
            ["workItemRefs"] = new JsonArray(workItems.Select(w => (JsonNode)new JsonObject { ["id"] = w.ToString(CultureInfo.InvariantCulture) }).ToArray()),
        };
        return await _client.CreatePullRequestAsync(body, cancellationToken);
    }

    /// <summary>The brief's reviewers as identities: <c>reviewers</c> required, <c>optional-reviewers</c> optional.</summary>
    private async Task<JsonArray> ReviewersAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var reviewers = new JsonArray();
        var wanted = request.Brief.Review.Reviewers.Select(r => (Name: r, Required: true)).Concat(request.Brief.Review.OptionalReviewers.Select(r => (Name: r, Required: false)));
        foreach (var (name, required) in wanted)
        {
            var identity = (await _client.SearchIdentitiesAsync(name, cancellationToken)) is { Count: > 0 } found ? found[0] : null;
            if (identity is null)
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.AzureDevOpsIdentityUnknown, $"Azure DevOps knows no identity or group '{name}' (review reviewers).", "Name reviewers by their sign-in (alice@contoso.com) or as [Project]\\Team.", request.Brief.RelativePath);
            }

            reviewers.Add(new JsonObject { ["id"] = (string?)identity["id"], ["isRequired"] = required });
        }

        return reviewers;
    }

    /// <summary>Adds the brief's labels the pull request lacks (labels people added stay).</summary>
    private async Task LabelAsync(int id, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (labels.Count == 0)
        {
            return;
        }

        var present = (await _client.LabelsAsync(id, cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var label in labels.Where(l => !present.Contains(l)))
        {
            await _client.AddLabelAsync(id, label, cancellationToken);
        }
    }

    /// <summary>Sets auto-complete when the brief asks and every required gate passed on a ready pull request; takes back loops' own otherwise.</summary>
    private async Task AutoCompleteAsync(JsonObject pull, ReviewRequest request, CancellationToken cancellationToken)
    {
        if (!request.Brief.Review.AutoComplete)
        {
            return;
        }

        var me = await _client.AuthenticatedUserIdAsync(cancellationToken);
        var setBy = (string?)pull["autoCompleteSetBy"]?["id"];
        var wanted = !request.Draft && request.Gates.Where(g => g.Required).All(g => g.Status != GateStatus.Failed);
        if (wanted && setBy is null)
        {
            var options = new JsonObject { ["deleteSourceBranch"] = true, ["mergeCommitMessage"] = request.Title, ["transitionWorkItems"] = true };
            await _client.UpdatePullRequestAsync(Id(pull), new JsonObject { ["autoCompleteSetBy"] = new JsonObject { ["id"] = me }, ["completionOptions"] = options }, "set auto-complete", cancellationToken);
        }
        else if (!wanted && string.Equals(setBy, me, StringComparison.OrdinalIgnoreCase))
        {
            // The empty id is how the API takes auto-complete back.
            await _client.UpdatePullRequestAsync(Id(pull), new JsonObject { ["autoCompleteSetBy"] = new JsonObject { ["id"] = Guid.Empty.ToString() } }, "cancel auto-complete", cancellationToken);
        }
    }

    /// <summary>A gate as a pull request status: passed succeeded, a required failure failed, an advisory one error (as on GitHub), skipped not applicable.</summary>
    private JsonObject Status(GateResult gate)
    {
        var status = new JsonObject
        {
            ["state"] = gate.Status switch { GateStatus.Passed => "succeeded", GateStatus.Failed => gate.Required ? "failed" : "error", _ => "notApplicable" },
            ["description"] = Shorten($"{(gate.Required ? "" : "advisory: ")}{gate.Summary} ({gate.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)", 256),
            ["context"] = new JsonObject { ["name"] = gate.Name, ["genre"] = StatusGenre },
        };
        if (_settings.RunUrl is { } url)
        {
            status["targetUrl"] = url;
        }

        return status;
    }

    private async Task<bool> IsOursAsync(string commit, CancellationToken cancellationToken) =>
        (await _client.CommitMessageAsync(commit, cancellationToken))?.Contains("Loops-Run: ", StringComparison.Ordinal) == true;

    private async Task<string?> RemoteHeadAsync(string branch, CancellationToken cancellationToken)
    {
        var result = await _git.RunWithEnvironmentAsync(["ls-remote", _settings.Remote, $"refs/heads/{branch}"], AuthEnvironment(), cancellationToken);
        if (!result.Succeeded)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.PushFailed, $"Cannot read {branch} from the remote '{_settings.Remote}' (git exit {result.ExitCode}).", $"Check the remote and that the identity has '{AzureReposClient.Read}' on the repository.");
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
            throw LoopsException.Infrastructure(DiagnosticCodes.PushFailed, $"Pushing {branch} to '{_settings.Remote}' failed (git exit {result.ExitCode}).", $"Check that the identity has '{Contribute}' and 'Create branch' on the repository (for System.AccessToken: the build service) and that nobody pushed meanwhile; the run can be resumed.");
        }
    }

    /// <summary>The token travels as an HTTP header set through git's environment config: not on the command line, not in a URL, not in .git/config.</summary>
    private Dictionary<string, string?> AuthEnvironment() => new()
    {
        ["GIT_CONFIG_COUNT"] = "1",
        ["GIT_CONFIG_KEY_0"] = "http.extraheader",
        ["GIT_CONFIG_VALUE_0"] = $"AUTHORIZATION: {_settings.Authorization}",
    };

    private static int Id(JsonObject pull) => pull["pullRequestId"]?.GetValue<int>() ?? throw LoopsException.Infrastructure(DiagnosticCodes.AzureDevOpsCallFailed, "Azure DevOps API: a pull request without a pullRequestId.", "Check the collection URL.");

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
