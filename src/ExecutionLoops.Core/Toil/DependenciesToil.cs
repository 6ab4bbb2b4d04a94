using System.Text;
using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Dependencies.Feeds;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: dependencies</c>: scans the worktree (no restore), applies the brief's policy, writes the new
/// versions where they are defined (byte for byte otherwise), refreshes packages.lock.json files with one
/// restore, and describes every bump for the review body.
/// </summary>
internal sealed class DependenciesToil(FeedHttpOptions? httpOptions = null, TimeProvider? clock = null) : IToil
{
    /// <inheritdoc />
    public string Kind => "dependencies";

    /// <inheritdoc />
    public string Summary => "Updates NuGet packages, MSBuild SDKs and dotnet tools within its policy.";

    /// <inheritdoc />
    public BriefSection Section => DependenciesSection.Instance;

    /// <summary>
    /// A brief with groups is one mission per group (id <c>&lt;id&gt;-&lt;group&gt;</c>, its own branch and review
    /// item) plus the brief's own id for the packages in no group.
    /// </summary>
    public IEnumerable<MissionBrief> Expand(MissionBrief brief)
    {
        yield return brief;
        var policy = brief.SettingsOf<DependencyPolicy>();
        foreach (var group in policy.Groups)
        {
            yield return brief.With(policy with { Group = group.Name }) with
            {
                Id = $"{brief.Id}-{group.Name}",
                Title = $"{brief.Title} ({group.Name})",
                Review = brief.Review with { Title = brief.Review.Title is { } title ? $"{title} ({group.Name})" : null },
            };
        }
    }

    /// <inheritdoc />
    public bool IsRoutine => true;

    /// <summary>A bump is regenerated from the new base as faithfully as it was made: the rebase is a re-run.</summary>
    public bool RegeneratesOnNewBase => true;

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var brief = context.Brief;
        var scanner = new DependencyScanner(httpOptions ?? FeedHttpOptions.Default, clock ?? TimeProvider.System);
        var scan = await scanner.ScanAsync(context.WorktreePath, brief.SettingsOf<DependencyPolicy>(), withReleaseInfo: true, cancellationToken);
        foreach (var diagnostic in scan.Diagnostics)
        {
            context.Log.Write(diagnostic.ToString());
        }

        var plan = DependencyMissionPlan.For(scan, brief, context.Config);
        var slice = plan.Slice;
        var updates = plan.Updates.ToList();
        var held = plan.Held.Select(h => (h.Finding, h.Reason)).ToList();
        foreach (var (finding, reason) in held)
        {
            context.Log.Write($"left {finding.Dependency.PackageId} {finding.Current} → {finding.Candidate}: {reason}");
        }

        if (updates.Count == 0)
        {
            var errors = scan.Diagnostics.Where(d => d.IsError).ToList();
            return errors.Count > 0
                ? new ToilResult(false, $"no update could be made: {errors[0].Message}", errors)
                : ToilResult.Success($"all {slice.Count} dependencies are current under the policy{(held.Count > 0 ? $" ({held.Count} update(s) held back by scope)" : "")}");
        }

        var (files, conflict) = VersionEditor.Apply(context.WorktreePath, updates.Select(u => (u.Dependency.Site, u.Candidate!.ToNormalizedString())));
        if (conflict is not null)
        {
            return ToilResult.Failure(conflict);
        }

        foreach (var update in updates)
        {
            context.Log.Write($"{update.Dependency.PackageId}: {update.Current} → {update.Candidate} in {update.Dependency.Site.Location} ({update.Reason})");
        }

        var lockFailure = await RefreshLockFilesAsync(context, scan.Inventory, updates, cancellationToken);
        if (lockFailure is not null)
        {
            return lockFailure;
        }

        var security = updates.Count(u => u.Security);
        var summary = $"{updates.Count} dependency update(s){(security > 0 ? $", {security} fixing known vulnerabilities" : "")} in {files.Count} file(s){(scan.VulnerabilityDataAvailable ? "" : "; vulnerability data: not available from these sources")}";
        return new ToilResult(true, summary, scan.Diagnostics.Where(d => !d.IsError).ToList()) { Details = Describe(updates, held, scan) };
    }

    /// <summary>One restore of the affected projects that have a lock file, so packages.lock.json matches the new versions.</summary>
    private static async Task<ToilResult?> RefreshLockFilesAsync(ToilContext context, DependencyInventory inventory, List<DependencyFinding> updates, CancellationToken cancellationToken)
    {
        var affected = updates.SelectMany(u => u.Dependency.Projects).ToHashSet(StringComparer.Ordinal);
        var locked = inventory.LockFiles.Where(affected.Contains).ToList();
        if (locked.Count == 0)
        {
            return null;
        }

        // A solution restores every affected project in one evaluation; without one, each project is restored.
        var solution = locked.Count > 1 ? TryLocateSolution(context) : null;
        var targets = solution is null ? locked : [solution];
        foreach (var target in targets)
        {
            var restore = DotnetCli.Command(context.WorktreePath, "restore", target, "--force-evaluate", "-p:RestoreLockedMode=false", "-nologo", "-v:q") with { Timeout = context.Timeout, OnOutputLine = context.Log.Write };
            context.Log.Write($"$ {restore.Display}");
            var result = await context.Processes.RunAsync(restore, cancellationToken);
            if (!result.Succeeded)
            {
                return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.LockFileRefreshFailed, $"Restoring {target} to refresh packages.lock.json failed (exit {result.ExitCode}).", target, hint: "See the log tail: a new version may conflict with another dependency."), result.Tail());
            }
        }

        return null;
    }

    private static string? TryLocateSolution(ToilContext context)
    {
        try
        {
            return SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
        }
        catch (LoopsException)
        {
            return null;
        }
    }

    /// <summary>The review body's table of bumps, the updates held back and the problems met.</summary>
    private static string Describe(List<DependencyFinding> updates, List<(DependencyFinding Finding, string Reason)> held, DependencyScanResult scan)
    {
        var text = new StringBuilder();
        text.AppendLine(scan.VulnerabilityDataAvailable
            ? $"Vulnerability data from {string.Join(", ", scan.VulnerabilitySources)}."
            : "Vulnerability data: not available from these sources (no package or audit source publishes it), so no version was checked for known vulnerabilities.");
        text.AppendLine();
        text.AppendLine("| package | from | to | update | projects | notes |");
        text.AppendLine("|---|---|---|---|---|---|");
        // One row per bump: the same package moved the same way in several projects is one line.
        foreach (var bump in updates.GroupBy(u => (Id: u.Dependency.PackageId.ToLowerInvariant(), u.Current, u.Candidate)).OrderByDescending(g => g.First().Security).ThenBy(g => g.Key.Id, StringComparer.Ordinal))
        {
            var update = bump.First();
            var affected = bump.SelectMany(u => u.Dependency.Projects).Distinct().Order(StringComparer.Ordinal).ToList();
            var projects = affected.Count <= 3 ? string.Join(", ", affected.Select(p => $"`{p}`")) : $"{affected.Count} projects";
            var links = new List<string>();
            if (update.Security)
            {
                links.AddRange(update.Advisories.Select(a => $"fixes {a.SeverityName} [advisory]({a.Url})"));
            }

            if (update.Details?.RepositoryUrl is { } repository)
            {
                links.Add($"[repository]({repository})");
            }

            if (update.Details?.ProjectUrl is { } project && project != update.Details.RepositoryUrl)
            {
                links.Add($"[project]({project})");
            }

            if (update.Details?.ReleaseNotes is { } notes)
            {
                links.Add(Uri.TryCreate(notes, UriKind.Absolute, out _) ? $"[release notes]({notes})" : $"release notes: {Reporting.MarkdownText.Cell(notes.Length > 120 ? notes[..117] + "…" : notes)}");
            }

            var from = update.Resolved is { } resolved && !string.Equals(resolved.ToNormalizedString(), update.Current, StringComparison.OrdinalIgnoreCase) ? $"{update.Current} (restores {resolved.ToNormalizedString()})" : update.Current;
            text.AppendLine($"| `{update.Dependency.PackageId}` | {from} | {update.Candidate} | {(update.Security ? "security" : update.Type?.ToString().ToLowerInvariant())} | {projects} | {string.Join("; ", links)} |");
        }

        if (held.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Held back: " + string.Join("; ", held.Select(h => $"`{h.Finding.Dependency.PackageId}` {h.Finding.Current} → {h.Finding.Candidate} ({h.Reason})")) + ".");
        }

        if (scan.Diagnostics.Count > 0 || scan.Inventory.Unresolved.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Not checked or left alone:");
            text.AppendLine();
            foreach (var diagnostic in scan.Diagnostics)
            {
                text.AppendLine($"- {Reporting.MarkdownText.Cell(diagnostic.ToString())}");
            }

            foreach (var unresolved in scan.Inventory.Unresolved)
            {
                text.AppendLine($"- `{unresolved.PackageId}` in `{unresolved.Project}`: {Reporting.MarkdownText.Cell(unresolved.Reason)}");
            }
        }

        return text.ToString();
    }
}
