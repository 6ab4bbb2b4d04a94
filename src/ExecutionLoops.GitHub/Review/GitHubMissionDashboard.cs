using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExecutionLoops.Review;
using Octokit;

namespace ExecutionLoops.GitHub.Review;

/// <summary>
/// The mission dashboard as one GitHub issue (the idea of Renovate's Dependency Dashboard, for every mission), found by
/// a hidden marker so there is never a second. Every box loops writes is unticked; a ticked box is a request.
/// GitHub records no "who ticked", so a request counts only when every edit of the body since loops last wrote it
/// (the issue's edit history, <c>userContentEdits</c> in GraphQL, after the latest edit by the issue's author: loops,
/// which created it and never writes a ticked box) was made
/// by a trusted person: the same association rules as review feedback (<c>review.trusted</c>), worked out from the
/// editor's permission on the repository. A body edited by anyone else asks for nothing.
/// </summary>
internal sealed partial class GitHubMissionDashboard(GitHubApi api, GitHubSettings settings, TimeProvider clock) : IMissionDashboard
{
    internal const string Marker = "<!-- loops:mission-dashboard -->";
    internal const string Title = "Mission dashboard";
    private const int KeptNotes = 10;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DashboardRequest>> ReadRequestsAsync(CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } issue)
        {
            return [];
        }

        var ticked = TickedBox().Matches(issue.Body ?? "").Select(m => m.Groups["id"].Value).Distinct(StringComparer.Ordinal).ToList();
        if (ticked.Count == 0)
        {
            return [];
        }

        // loops creates the issue and only ever writes unticked boxes, so the edits after its latest one made the ticks;
        // when the latest edit is the author's own yet boxes are ticked, the author ticked them by hand.
        var edits = (await EditsAsync(issue.Number, cancellationToken)).OrderBy(e => e.At).ToList();
        var author = issue.User?.Login;
        var lastOwn = edits.FindLastIndex(e => string.Equals(e.Editor, author, StringComparison.OrdinalIgnoreCase));
        var editors = edits.Skip(lastOwn + 1).Select(e => e.Editor).ToList();
        if (editors.Count == 0 && author is not null)
        {
            editors.Add(author);
        }

        var trusted = editors.Count > 0;
        foreach (var editor in editors.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            trusted &= editor is not null && await IsTrustedAsync(editor, cancellationToken);
        }

        var by = editors.LastOrDefault();
        return ticked.Select(id => new DashboardRequest(id, by, trusted)).ToList();
    }

    /// <inheritdoc />
    public async Task UpdateAsync(IReadOnlyList<DashboardMission> missions, IReadOnlyList<DashboardRequest> handled, CancellationToken cancellationToken)
    {
        var issue = await FindAsync(cancellationToken);
        var body = Body(missions, handled, issue?.Body);
        if (issue is null)
        {
            await api.CallAsync("create the mission dashboard issue", "issues: write", client => client.Issue.Create(settings.Owner, settings.Repository, new NewIssue(Title) { Body = body }), cancellationToken);
        }
        else if (issue.Body != body)
        {
            await api.CallAsync("update the mission dashboard issue", "issues: write", client => client.Issue.Update(settings.Owner, settings.Repository, issue.Number, new IssueUpdate { Body = body }), cancellationToken);
        }
    }

    /// <summary>The page: the marker, the time loops wrote it, a box per mission (all unticked) and the latest notes.</summary>
    internal string Body(IReadOnlyList<DashboardMission> missions, IReadOnlyList<DashboardRequest> handled, string? previous)
    {
        var now = clock.GetUtcNow();
        var body = new StringBuilder();
        body.AppendLine(Marker);
        body.AppendLine("This issue lists every mission of the repository and is kept up to date by ExecutionLoops. Tick a mission's box to run it on the next `loops feedback` or scheduled run; only people with write access are heard, and the box is unticked once loops has read it.");
        body.AppendLine();
        body.AppendLine("## Missions");
        body.AppendLine();
        foreach (var mission in missions)
        {
            var last = mission.LastOutcome is { } outcome ? $"{outcome} ({Format(mission.LastRun)})" : "never ran";
            var item = mission.OpenItem is { } number ? $" · review item: #{number}" : "";
            body.AppendLine($"- [ ] **{Escape(mission.Id)}**: {Escape(mission.Title)} · schedule: `{mission.Schedule.Replace("`", "'", StringComparison.Ordinal)}` · last: {last}{item} <!-- loops:mission {mission.Id} -->");
        }

        var notes = handled.Select(r => r.Trusted
            ? $"- {Format(now)}: **{Escape(r.MissionId)}** was asked for by @{r.RequestedBy} and ran in this run."
            : $"- {Format(now)}: the tick of **{Escape(r.MissionId)}** by {(r.RequestedBy is null ? "an unknown editor" : "@" + r.RequestedBy)} was ignored: not a trusted person.").ToList();
        notes.AddRange(Notes(previous));
        if (notes.Count > 0)
        {
            body.AppendLine();
            body.AppendLine("## Notes");
            body.AppendLine();
            foreach (var note in notes.Take(KeptNotes))
            {
                body.AppendLine(note);
            }
        }

        return body.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private async Task<Issue?> FindAsync(CancellationToken cancellationToken)
    {
        var issues = await api.CallAsync("list issues", "issues: read", client => client.Issue.GetAllForRepository(settings.Owner, settings.Repository, new RepositoryIssueRequest { State = ItemStateFilter.All, Filter = IssueFilter.All }), cancellationToken);
        return issues.Where(i => i.PullRequest is null && (i.Body ?? "").StartsWith(Marker, StringComparison.Ordinal)).OrderBy(i => i.Number).FirstOrDefault();
    }

    private async Task<IReadOnlyList<(DateTimeOffset At, string? Editor)>> EditsAsync(int number, CancellationToken cancellationToken)
    {
        const string query = "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { issue(number: $number) { userContentEdits(last: 50) { nodes { editedAt editor { login } } } } } }";
        var data = await api.GraphQlQueryAsync("read the dashboard issue's edit history", "issues: read", query, new JsonObject { ["owner"] = settings.Owner, ["name"] = settings.Repository, ["number"] = number }, cancellationToken);
        var nodes = data?["repository"]?["issue"]?["userContentEdits"]?["nodes"]?.AsArray() ?? [];
        return nodes.OfType<JsonNode>()
            .Select(n => (DateTimeOffset.Parse(n["editedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture), n["editor"]?["login"]?.GetValue<string>()))
            .ToList();
    }

    /// <summary>The association feedback would give this person (OWNER, COLLABORATOR for write access, else NONE), checked against <c>review.trusted</c>.</summary>
    private async Task<bool> IsTrustedAsync(string login, CancellationToken cancellationToken)
    {
        var permission = await api.CallAsync("read a user's permission", "metadata: read", client => client.Repository.Collaborator.ReviewPermission(settings.Owner, settings.Repository, login), cancellationToken);
        var level = permission.Permission;
        var association = string.Equals(login, settings.Owner, StringComparison.OrdinalIgnoreCase) ? "OWNER"
            : level is "admin" or "maintain" or "write" ? "COLLABORATOR"
            : "NONE";
        return settings.Trusted.Contains(association, StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Notes(string? previous)
    {
        var at = previous?.IndexOf("\n## Notes\n", StringComparison.Ordinal) ?? -1;
        return at < 0 ? [] : previous![at..].Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal));
    }

    private static string Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "–";

    // Titles are the brief's own text: keep them from opening HTML comments or task boxes of their own.
    private static string Escape(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    [GeneratedRegex(@"^- \[[xX]\] .*<!-- loops:mission (?<id>[a-z0-9-]+) -->\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TickedBox();
}
