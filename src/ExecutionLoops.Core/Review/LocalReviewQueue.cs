using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;
using ExecutionLoops.Gates;

namespace ExecutionLoops.Review;

/// <summary>
/// The embedded default review target: review items as JSON files under the state directory, mission
/// branches in the repository itself. Approving merges into the base branch without disturbing the
/// user's uncommitted work; rejecting and commenting record feedback for the mission's next run.
/// </summary>
/// <param name="git">The repository the mission branches live in.</param>
/// <param name="directory">Where the item files are.</param>
/// <param name="clock">The clock.</param>
/// <param name="trustedAuthors">
/// The authors whose comments and rejections reach a mission; null for everyone. Whoever can write the state
/// directory can run loops anyway, so this filters (a bot's comments, a shared queue); it does not guard.
/// </param>
public sealed class LocalReviewQueue(GitRepository git, string directory, TimeProvider clock, IReadOnlyCollection<string>? trustedAuthors = null) : IReviewTarget, Notifications.IOpenReviewItems
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public string? LogUrl => null;

    /// <inheritdoc />
    public IReviewConversation Conversation => LocalConversation;

    /// <summary>
    /// The authors named in <c>review.trusted</c> (comma separated: git user names may contain spaces), or null
    /// when it is not set.
    /// </summary>
    public static IReadOnlyCollection<string>? TrustedAuthors(IReadOnlyDictionary<string, string> reviewOptions) =>
        reviewOptions.GetValueOrDefault("trusted")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public string FeedbackHowTo(string missionId) =>
        $"Approve with `loops review approve {missionId}`, or ask for changes with `loops review reject {missionId} --feedback \"…\"`: the mission's next run receives the feedback and updates this item. `loops review comment {missionId} \"…\"` adds a comment or a `/loops` command (`rerun`, `rebase`, `feedback <text>`, `close`, `ready`, `draft`) that `loops feedback --item {missionId}` acts on.";

    /// <inheritdoc />
    public async Task<ReviewItem> PublishAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = (await ListAsync(includeClosed: false, cancellationToken)).FirstOrDefault(r => r.MissionId == request.Brief.Id);
        if (current is not null && current.Runs.Contains(request.RunId) && current.HeadCommit == request.HeadCommit)
        {
            // A resumed run publishing again: nothing new to record.
            return ToItem(current, created: false);
        }

        var record = current is null
            ? new LocalReviewRecord
            {
                Id = await NewIdAsync(request.Brief.Id, cancellationToken),
                MissionId = request.Brief.Id,
                Title = request.Title,
                Body = request.Body,
                Branch = request.Branch,
                BaseBranch = request.BaseBranch,
                BaseCommit = request.BaseCommit,
                HeadCommit = request.HeadCommit,
                Draft = request.Draft,
                Created = now,
                Updated = now,
                Diff = request.Diff,
                Gates = request.Gates,
                Runs = [request.RunId],
            }
            : current with
            {
                Title = request.Title,
                Body = request.Body,
                BaseBranch = request.BaseBranch,
                BaseCommit = request.BaseCommit,
                HeadCommit = request.HeadCommit,
                State = ReviewState.Open,
                Draft = request.Draft,
                Revision = current.Revision + 1,
                Updated = now,
                Diff = request.Diff,
                Gates = request.Gates,
                Feedback = current.Feedback.Select(f => f with { Addressed = true }).ToList(),
                Runs = [.. current.Runs, request.RunId],
            };
        await SaveAsync(record, cancellationToken);
        return ToItem(record, created: current is null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReviewFeedback>> PendingFeedbackAsync(string missionId, CancellationToken cancellationToken)
    {
        var current = (await ListAsync(includeClosed: false, cancellationToken)).FirstOrDefault(r => r.MissionId == missionId);
        return current is null ? [] : LocalConversation.Classify(current).Feedback;
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<Notifications.OpenReviewItem>> Notifications.IOpenReviewItems.OpenItemsAsync(CancellationToken cancellationToken) =>
        (await ListAsync(includeClosed: false, cancellationToken))
            .Where(r => r.State == ReviewState.Open)
            .Select(r => new Notifications.OpenReviewItem(r.Id, r.MissionId, r.Title, $"loops review show {r.Id}", r.Revision, r.Updated))
            .ToList();

    /// <summary>The items, newest first; merged and closed ones only when asked.</summary>
    public async Task<IReadOnlyList<LocalReviewRecord>> ListAsync(bool includeClosed, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var records = new List<LocalReviewRecord>();
        foreach (var file in Directory.GetFiles(directory, "*.json"))
        {
            var record = await ReadAsync(file, cancellationToken);
            if (includeClosed || record.State is ReviewState.Open or ReviewState.ChangesRequested)
            {
                records.Add(record);
            }
        }

        return records.OrderByDescending(r => r.Updated).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One item, by its id; a mission id names that mission's open item when the item of the same id is closed or
    /// missing (later items of a mission are <c>&lt;mission&gt;-2</c>, …).
    /// </summary>
    /// <exception cref="LoopsException">EL2032 when there is no such item.</exception>
    public async Task<LocalReviewRecord> GetAsync(string id, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        var record = IsValidId(id) && File.Exists(path) ? await ReadAsync(path, cancellationToken) : null;
        if (record is null || record.State is ReviewState.Merged or ReviewState.Closed)
        {
            var open = (await ListAsync(includeClosed: false, cancellationToken)).FirstOrDefault(r => r.MissionId == id);
            record = open ?? record;
        }

        if (record is null)
        {
            var known = (await ListAsync(includeClosed: true, cancellationToken)).Select(r => r.Id).ToList();
            throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemNotFound, $"There is no review item '{id}'.", known.Count == 0 ? "The review queue is empty; run 'loops delegate' first." : $"Run 'loops review list' to see the items ({string.Join(", ", known)}).");
        }

        return record;
    }

    /// <summary>The unified diff of an item (base commit to mission commit).</summary>
    public async Task<string> DiffAsync(string id, CancellationToken cancellationToken)
    {
        var record = await GetAsync(id, cancellationToken);
        return await git.RunCheckedAsync(["diff", "--no-color", record.BaseCommit, record.HeadCommit], null, cancellationToken);
    }

    /// <summary>Rejects an item with feedback the mission's next run receives.</summary>
    public async Task<LocalReviewRecord> RejectAsync(string id, string feedback, string author, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(feedback))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, "Rejecting needs feedback for the mission's next run.", "Pass --feedback \"what to change\".");
        }

        return await UpdateOpenAsync(id, "reject", record => record with
        {
            State = ReviewState.ChangesRequested,
            Feedback = [.. record.Feedback, new LocalFeedback(author, feedback.Trim(), clock.GetUtcNow(), record.Revision, false)],
        }, cancellationToken);
    }

    /// <summary>
    /// Adds a reviewer's comment: feedback for the mission's next run, or a <c>/loops</c> command that
    /// <c>loops feedback</c> acts on. Unlike rejecting, it leaves the item's state as it is.
    /// </summary>
    public async Task<LocalReviewRecord> CommentAsync(string id, string text, string author, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, "A comment needs text.", "Pass the comment, e.g. loops review comment ID \"/loops rerun\".");
        }

        return await UpdateOpenAsync(id, "take comments", record => record with
        {
            Feedback = [.. record.Feedback, new LocalFeedback(author, text.Trim(), clock.GetUtcNow(), record.Revision, false)],
        }, cancellationToken);
    }

    /// <summary>Closes an item without merging.</summary>
    public Task<LocalReviewRecord> CloseAsync(string id, CancellationToken cancellationToken) =>
        UpdateOpenAsync(id, "close", record => record with { State = ReviewState.Closed }, cancellationToken);

    /// <summary>Changes an open item (EL2033 when it is merged or closed) and stamps it as updated.</summary>
    internal async Task<LocalReviewRecord> UpdateOpenAsync(string id, string action, Func<LocalReviewRecord, LocalReviewRecord> change, CancellationToken cancellationToken)
    {
        var record = RequireOpen(await GetAsync(id, cancellationToken), action);
        var updated = change(record) with { Updated = clock.GetUtcNow() };
        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Changes an item whatever its state, without stamping it as updated (loops' replies are not reviewer activity).</summary>
    internal async Task UpdateAsync(string id, Func<LocalReviewRecord, LocalReviewRecord> change, CancellationToken cancellationToken) =>
        await SaveAsync(change(await GetAsync(id, cancellationToken)), cancellationToken);

    /// <summary>
    /// Merges an item into its base branch. The merge is computed without a working tree
    /// (<c>git merge-tree</c>); conflicts change nothing. When the base branch is checked out, files the merge
    /// touches must not have uncommitted changes; other dirty files are left as they are.
    /// </summary>
    public async Task<LocalReviewRecord> ApproveAsync(string id, bool force, CancellationToken cancellationToken)
    {
        var record = RequireOpen(await GetAsync(id, cancellationToken), "approve");
        if (record.Draft && record.Gates.Where(g => g.Status == GateStatus.Failed).ToList() is { Count: > 0 } failed && !force)
        {
            throw new LoopsException(ExitCodes.MissionFailed, [.. failed.Select(g => Diagnostic.Error(DiagnosticCodes.ApproveFailedDraft, $"Review item '{record.Id}' is a draft: its {(g.Required ? "required" : "advisory")} gate '{g.Name}' failed ({g.Summary}).", hint: "Fix it (loops review reject --feedback …), or merge it anyway with --force."))]);
        }

        if (record.BaseBranch is not { } baseBranch)
        {
            throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemClosed, $"Review item '{id}' was made from a detached HEAD and has no base branch to merge into.", $"Merge it by hand: git merge {record.Branch}.");
        }

        var baseTip = await git.ResolveCommitAsync($"refs/heads/{baseBranch}", null, cancellationToken)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.BaseBranchMissing, $"The base branch '{baseBranch}' no longer exists.", "Re-create it, or close the item with 'loops review reject'.");
        var merged = await MergeCommitAsync(record, baseTip, cancellationToken);
        if (merged != baseTip)
        {
            // The base may be checked out in the main working tree or in a linked one: update that tree's files too.
            if (await git.WorktreeWithBranchAsync(baseBranch, cancellationToken) is { } checkedOut)
            {
                await FastForwardCheckedOutAsync(checkedOut, baseTip, merged, cancellationToken);
            }
            else
            {
                await git.RunCheckedAsync(["update-ref", "-m", $"loops: approve {record.Id}", $"refs/heads/{baseBranch}", merged, baseTip], null, cancellationToken);
            }
        }

        var updated = record with { State = ReviewState.Merged, Updated = clock.GetUtcNow() };
        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    private async Task<string> MergeCommitAsync(LocalReviewRecord record, string baseTip, CancellationToken cancellationToken)
    {
        if (await IsAncestorAsync(record.HeadCommit, baseTip, cancellationToken))
        {
            return baseTip; // already merged
        }

        if (await IsAncestorAsync(baseTip, record.HeadCommit, cancellationToken))
        {
            return record.HeadCommit; // fast-forward
        }

        var result = await git.RunAsync(["merge-tree", "--write-tree", "--name-only", "--no-messages", baseTip, record.HeadCommit], null, cancellationToken);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode == 1)
        {
            var conflicts = lines.Skip(1).ToList();
            throw new LoopsException(ExitCodes.MissionFailed, Diagnostic.Error(
                DiagnosticCodes.MergeConflict,
                $"Approving '{record.Id}' would conflict with {record.BaseBranch} in: {string.Join(", ", conflicts)}. Nothing was changed.",
                hint: $"Reject it with feedback so the mission re-runs on the new base: loops review reject {record.Id} --feedback \"rebase\"."));
        }

        if (!result.Succeeded || lines.Length == 0)
        {
            throw LoopsException.Infrastructure(DiagnosticCodes.GitFailed, $"git merge-tree failed: {result.StandardError.Trim()}", "git 2.38 or newer is needed to approve items whose base moved on.");
        }

        return await git.CommitTreeAsync(lines[0].Trim(), [baseTip, record.HeadCommit], $"Merge {record.Branch}: {record.Title}\n\nMission-Id: {record.MissionId}\n", cancellationToken);
    }

    private async Task FastForwardCheckedOutAsync(string workingTree, string baseTip, string merged, CancellationToken cancellationToken)
    {
        var touched = (await git.RunCheckedAsync(["diff", "--name-only", "-z", baseTip, merged], null, cancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var dirty = await git.ChangedPathsAsync(workingTree, cancellationToken);
        var overlap = touched.Intersect(dirty, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (overlap.Count > 0)
        {
            throw LoopsException.InvalidInput(
                DiagnosticCodes.DirtyWorkingTree,
                $"You have uncommitted changes in files the merge would update: {string.Join(", ", overlap)}. Nothing was changed.",
                "Commit or stash those files, then approve again.");
        }

        await git.RunCheckedAsync(["merge", "--ff-only", "--quiet", merged], workingTree, cancellationToken);
    }

    private async Task<bool> IsAncestorAsync(string ancestor, string descendant, CancellationToken cancellationToken) =>
        (await git.RunAsync(["merge-base", "--is-ancestor", ancestor, descendant], null, cancellationToken)).ExitCode == 0;

    private LocalReviewConversation LocalConversation => new(this, trustedAuthors);

    private static LocalReviewRecord RequireOpen(LocalReviewRecord record, string action) =>
        record.State is ReviewState.Open or ReviewState.ChangesRequested
            ? record
            : throw LoopsException.InvalidInput(DiagnosticCodes.ReviewItemClosed, $"Review item '{record.Id}' is {record.State.ToString().ToLowerInvariant()}; it cannot {action}.", "Run 'loops review list --all' to see every item.");

    private async Task<string> NewIdAsync(string missionId, CancellationToken cancellationToken)
    {
        var taken = (await ListAsync(includeClosed: true, cancellationToken)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var id = missionId;
        for (var n = 2; taken.Contains(id); n++)
        {
            id = $"{missionId}-{n}";
        }

        return id;
    }

    private static ReviewItem ToItem(LocalReviewRecord record, bool created) =>
        new(record.Id, record.MissionId, $"loops review show {record.Id}", record.State, record.Revision, created);

    private string PathOf(string id) => Path.Combine(directory, $"{id}.json");

    private static bool IsValidId(string id) => id.Length > 0 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static async Task<LocalReviewRecord> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<LocalReviewRecord>(stream, LoopsJson.Indented, cancellationToken)
            ?? throw LoopsException.Infrastructure(DiagnosticCodes.JournalCorrupt, $"The review item file '{path}' is empty.", "Delete it; the mission's next run publishes it again.");
    }

    /// <summary>Writes through a temporary file and a rename, so a kill never leaves half an item.</summary>
    private async Task SaveAsync(LocalReviewRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(record.Id);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(record, LoopsJson.Indented), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
