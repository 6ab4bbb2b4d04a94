using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Dependencies.Feeds;
using ExecutionLoops.Diagnostics;
using Spectre.Console;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops deps scan</c>: which dependencies could move, to what, and why or why not — without changing anything.</summary>
internal static class DepsCommand
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json("the findings");
        var mission = new Option<string?>("--mission", "-m") { Description = "Apply the update policy of this dependencies mission (default: every update allowed, stable versions, vulnerable first)." };
        var updatesOnly = new Option<bool>("--updates-only") { Description = "List only the dependencies with a candidate." };
        var noCache = new Option<bool>("--no-cache") { Description = "Ask the feeds again instead of using cached responses (the cache is refreshed)." };
        var scan = new Command("scan", "Read every project, Directory.*.props, global.json and tool manifest (no restore), ask the nuget.config sources once per package, and report each dependency: project, package, current, candidate, and why. Nothing is changed. Exit 0 when the scan completed, 2 for malformed files, 3 when a package source failed.")
        {
            json, mission, updatesOnly, noCache,
        };
        CommandAction.Set(scan, context, async (parse, cancellationToken) =>
        {
            var root = GlobalOptions.RepoPath(context, parse);
            if (!Directory.Exists(root))
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"'{root}' does not exist.", "Pass an existing folder with --repo.");
            }

            var policy = DependencyPolicy.Default;
            var clock = TimeProvider.System;
            IReadOnlyList<Briefs.MissionBrief> family = [];
            LoopsEngine? engine = null;
            if (parse.GetValue(mission) is { } id)
            {
                engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
                var catalog = engine.RequireValidCatalog().Briefs;
                var brief = catalog.FirstOrDefault(b => b.Id == id)
                    ?? throw LoopsException.InvalidInput(DiagnosticCodes.UnknownMission, $"No mission '{id}'.", "Run 'loops plan' to list the missions.");
                if (brief.Kind != "dependencies")
                {
                    throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, $"Mission '{id}' is a {brief.Kind} mission, not a dependencies one.", "Name a mission with 'kind: dependencies'.");
                }

                // The brief and its groups: each group is its own mission, shown on its own as delegate applies it.
                family = DependencyMissionPlan.Family(catalog, brief);
                policy = brief.SettingsOf<DependencyPolicy>() with { Group = null };
                root = engine.Workspace.Root;
                clock = engine.Clock;
            }

            var http = FeedHttpOptions.Default;
            if (parse.GetValue(noCache))
            {
                http = http with { CacheTtl = TimeSpan.Zero };
            }

            var started = clock.GetTimestamp();
            var result = await context.Err.Status().StartAsync("Scanning dependencies…", _ => new DependencyScanner(http, clock).ScanAsync(root, policy, withReleaseInfo: false, cancellationToken));
            var findings = parse.GetValue(updatesOnly) ? result.Updates.ToList() : result.Findings.ToList();
            var plans = engine is null ? [] : family.Select(b => DependencyMissionPlan.For(result, b, engine.Workspace.Config)).ToList();
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(ToJson(result, findings, plans, parse.GetValue(updatesOnly), clock.GetElapsedTime(started)), LoopsJson.Indented));
            }
            else
            {
                DiagnosticPrinter.Print(context.Err, result.Diagnostics, context.Host);
                if (plans.Count == 0)
                {
                    Render(context, result, findings, clock.GetElapsedTime(started));
                }
                else
                {
                    RenderMissions(context, result, plans, parse.GetValue(updatesOnly), clock.GetElapsedTime(started));
                }
            }

            return result.Diagnostics.Any(d => d.IsError && d.Code is DiagnosticCodes.FeedUnreachable or DiagnosticCodes.FeedInvalidResponse or DiagnosticCodes.FeedCredentialMissing or DiagnosticCodes.FeedConfigInvalid) ? ExitCodes.Infrastructure
                : result.Diagnostics.Any(d => d.IsError) ? ExitCodes.InvalidInput
                : ExitCodes.Success;
        });

        return new Command("deps", "Dependency updates: scan the repository's NuGet packages, MSBuild SDKs and dotnet tools against its package sources.") { scan };
    }

    private static void Render(CliContext context, DependencyScanResult result, List<DependencyFinding> findings, TimeSpan elapsed)
    {
        context.Out.Write(Table(findings, [], result.Inventory.Unresolved));
        Summary(context, result, elapsed);
    }

    /// <summary>Each mission of the brief (its own and one per group) with what it would apply and hold back, as delegate runs it.</summary>
    private static void RenderMissions(CliContext context, DependencyScanResult result, List<DependencyMissionPlan> plans, bool updatesOnly, TimeSpan elapsed)
    {
        foreach (var plan in plans)
        {
            var label = plan.Group is { } group ? $"group {group}" : "packages in no group";
            context.Output.WriteLine($"mission {plan.MissionId} ({label}): {plan.Updates.Count} update(s), {plan.Held.Count} held back, {plan.Slice.Count} dependencies");
            var rows = updatesOnly ? plan.Updates.ToList() : plan.Slice.Where(f => !plan.Held.Any(h => h.Finding == f)).ToList();
            context.Out.Write(Table(rows, plan.Held, plan.Group is null ? result.Inventory.Unresolved : []));
        }

        Summary(context, result, elapsed);
    }

    private static Table Table(IReadOnlyList<DependencyFinding> findings, IReadOnlyList<HeldUpdate> held, IReadOnlyList<UnresolvedReference> unresolved)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns(PathCell.Column("project"), new TableColumn("package").NoWrap(), new TableColumn("requested").NoWrap(), new TableColumn("resolved").NoWrap(), new TableColumn("candidate").NoWrap(), new TableColumn("patch / minor / major"), new TableColumn("why"));
        void Row(DependencyFinding finding, string? heldBack)
        {
            var dependency = finding.Dependency;
            var projects = dependency.Projects.Count == 1 ? dependency.Projects[0] : $"{dependency.Projects.Count} projects ({dependency.Site.File})";
            var candidate = finding.Candidate is null ? "-" : heldBack is not null ? $"[grey]{finding.Candidate} (held)[/]" : finding.Security ? $"[red]{finding.Candidate}[/]" : $"[green]{finding.Candidate}[/]";
            var requested = dependency.Site.Condition is { } condition ? $"{finding.Current} when {condition}" : finding.Current;
            var resolved = finding.Resolved?.ToNormalizedString() ?? "-";
            if (finding.Advisories.Count > 0)
            {
                resolved = $"[red]{resolved} ({string.Join(", ", finding.Advisories.Select(a => a.SeverityName))})[/]";
            }
            else if (finding.Resolved is not null && !string.Equals(resolved, finding.Current, StringComparison.OrdinalIgnoreCase))
            {
                resolved = $"[yellow]{resolved}[/]";
            }

            var lines = Markup.Escape(Lines(finding.Lines));
            table.AddRow(PathCell.Of(projects), Markup.Escape(dependency.PackageId), Markup.Escape(requested), resolved, candidate, lines, Markup.Escape(heldBack is null ? finding.Reason : $"{finding.Reason}; held back: {heldBack}"));
        }

        foreach (var finding in findings)
        {
            Row(finding, null);
        }

        foreach (var item in held)
        {
            Row(item.Finding, item.Reason);
        }

        foreach (var reference in unresolved)
        {
            table.AddRow(PathCell.Of(reference.Project), Markup.Escape(reference.PackageId), Markup.Escape(reference.Current ?? "-"), "-", "-", "-", Markup.Escape(reference.Reason));
        }

        return table;
    }

    private static string Lines(UpdateLines lines) =>
        lines == UpdateLines.None ? "-" : $"{lines.Patch?.ToNormalizedString() ?? "-"} / {lines.Minor?.ToNormalizedString() ?? "-"} / {lines.Major?.ToNormalizedString() ?? "-"}";

    private static void Summary(CliContext context, DependencyScanResult result, TimeSpan elapsed)
    {
        var updates = result.Updates.ToList();
        context.Output.WriteLine($"{updates.Count} update(s) ({result.VulnerabilitySummary}) for {result.Findings.Count} dependencies in {result.Inventory.Projects.Count} project(s); {result.Stats.Requests} request(s), {result.Stats.CacheHits} from cache; {elapsed.TotalSeconds:0.00}s; read {result.Inventory.FilesRead} file(s), {result.Inventory.UnfollowedImports} import(s) not followed.");
    }

    private static object Finding(DependencyFinding f) => new
    {
        package = f.Dependency.PackageId,
        kind = f.Dependency.Kind.ToString(),
        current = f.Current,
        requested = f.Current,
        resolved = f.Resolved?.ToNormalizedString(),
        candidate = f.Candidate?.ToNormalizedString(),
        updateType = f.Type?.ToString().ToLowerInvariant(),
        lines = new { patch = f.Lines.Patch?.ToNormalizedString(), minor = f.Lines.Minor?.ToNormalizedString(), major = f.Lines.Major?.ToNormalizedString() },
        security = f.Security,
        reason = f.Reason,
        file = f.Dependency.Site.File,
        line = f.Dependency.Site.Line,
        column = f.Dependency.Site.Column,
        property = f.Dependency.Site.Property,
        condition = f.Dependency.Site.Condition,
        projects = f.Dependency.Projects,
        advisories = f.Advisories.Select(a => new { url = a.Url, severity = a.SeverityName, versions = a.Versions.ToNormalizedString() }),
    };

    private static object ToJson(DependencyScanResult result, List<DependencyFinding> findings, List<DependencyMissionPlan> plans, bool updatesOnly, TimeSpan elapsed) => new
    {
        projects = result.Inventory.Projects,
        dependencies = findings.Select(Finding),
        missions = plans.Select(p => new
        {
            id = p.MissionId,
            group = p.Group,
            updates = p.Updates.Select(Finding),
            held = p.Held.Select(h => new { finding = Finding(h.Finding), reason = h.Reason }),
            dependencies = updatesOnly ? null : p.Slice.Select(Finding),
        }),
        vulnerabilities = new { available = result.VulnerabilityDataAvailable, sources = result.VulnerabilitySources, summary = result.VulnerabilitySummary },
        unresolved = result.Inventory.Unresolved.Select(u => new { package = u.PackageId, project = u.Project, current = u.Current, reason = u.Reason }),
        diagnostics = result.Diagnostics.Select(d => new { code = d.Code, severity = d.Severity.ToString().ToLowerInvariant(), message = d.Message, path = d.Path, line = d.Line, column = d.Column }),
        discovery = new { filesRead = result.Inventory.FilesRead, importsNotFollowed = result.Inventory.UnfollowedImports },
        stats = new { requests = result.Stats.Requests, cacheHits = result.Stats.CacheHits, revalidated = result.Stats.Revalidated, retries = result.Stats.Retries, seconds = Math.Round(elapsed.TotalSeconds, 3) },
    };
}
