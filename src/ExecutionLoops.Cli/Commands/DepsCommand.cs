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
            if (parse.GetValue(mission) is { } id)
            {
                var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
                var brief = engine.RequireValidCatalog().Briefs.FirstOrDefault(b => b.Id == id)
                    ?? throw LoopsException.InvalidInput(DiagnosticCodes.UnknownMission, $"No mission '{id}'.", "Run 'loops plan' to list the missions.");
                policy = brief.SettingsOf<DependencyPolicy>();
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
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(ToJson(result, findings, clock.GetElapsedTime(started)), LoopsJson.Indented));
            }
            else
            {
                DiagnosticPrinter.Print(context.Err, result.Diagnostics, context.Host);
                Render(context, result, findings, clock.GetElapsedTime(started));
            }

            return result.Diagnostics.Any(d => d.IsError && d.Code is DiagnosticCodes.FeedUnreachable or DiagnosticCodes.FeedInvalidResponse or DiagnosticCodes.FeedCredentialMissing or DiagnosticCodes.FeedConfigInvalid) ? ExitCodes.Infrastructure
                : result.Diagnostics.Any(d => d.IsError) ? ExitCodes.InvalidInput
                : ExitCodes.Success;
        });

        return new Command("deps", "Dependency updates: scan the repository's NuGet packages, MSBuild SDKs and dotnet tools against its package sources.") { scan };
    }

    private static void Render(CliContext context, DependencyScanResult result, List<DependencyFinding> findings, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns(PathCell.Column("project"), new TableColumn("package").NoWrap(), new TableColumn("current"), new TableColumn("candidate"), new TableColumn("why"));
        foreach (var finding in findings)
        {
            var dependency = finding.Dependency;
            var projects = dependency.Projects.Count == 1 ? dependency.Projects[0] : $"{dependency.Projects.Count} projects ({dependency.Site.File})";
            var candidate = finding.Candidate is null ? "-" : finding.Security ? $"[red]{finding.Candidate}[/]" : $"[green]{finding.Candidate}[/]";
            var current = dependency.Site.Condition is { } condition ? $"{finding.Current} when {condition}" : finding.Current;
            table.AddRow(PathCell.Of(projects), Markup.Escape(dependency.PackageId), Markup.Escape(current), candidate, Markup.Escape(finding.Reason));
        }

        foreach (var unresolved in result.Inventory.Unresolved)
        {
            table.AddRow(PathCell.Of(unresolved.Project), Markup.Escape(unresolved.PackageId), Markup.Escape(unresolved.Current ?? "-"), "-", Markup.Escape(unresolved.Reason));
        }

        context.Out.Write(table);
        var updates = result.Updates.ToList();
        context.Output.WriteLine($"{updates.Count} update(s) ({updates.Count(u => u.Security)} security) for {result.Findings.Count} dependencies in {result.Inventory.Projects.Count} project(s); {result.Stats.Requests} request(s), {result.Stats.CacheHits} from cache; {elapsed.TotalSeconds:0.00}s; read {result.Inventory.FilesRead} file(s), {result.Inventory.UnfollowedImports} import(s) not followed.");
    }

    private static object ToJson(DependencyScanResult result, List<DependencyFinding> findings, TimeSpan elapsed) => new
    {
        projects = result.Inventory.Projects,
        dependencies = findings.Select(f => new
        {
            package = f.Dependency.PackageId,
            kind = f.Dependency.Kind.ToString(),
            current = f.Current,
            candidate = f.Candidate?.ToNormalizedString(),
            updateType = f.Type?.ToString().ToLowerInvariant(),
            security = f.Security,
            reason = f.Reason,
            file = f.Dependency.Site.File,
            line = f.Dependency.Site.Line,
            column = f.Dependency.Site.Column,
            property = f.Dependency.Site.Property,
            condition = f.Dependency.Site.Condition,
            projects = f.Dependency.Projects,
            advisories = f.Advisories.Select(a => new { url = a.Url, severity = a.SeverityName, versions = a.Versions.ToNormalizedString() }),
        }),
        unresolved = result.Inventory.Unresolved.Select(u => new { package = u.PackageId, project = u.Project, current = u.Current, reason = u.Reason }),
        diagnostics = result.Diagnostics.Select(d => new { code = d.Code, severity = d.Severity.ToString().ToLowerInvariant(), message = d.Message, path = d.Path, line = d.Line, column = d.Column }),
        discovery = new { filesRead = result.Inventory.FilesRead, importsNotFollowed = result.Inventory.UnfollowedImports },
        stats = new { requests = result.Stats.Requests, cacheHits = result.Stats.CacheHits, revalidated = result.Stats.Revalidated, retries = result.Stats.Retries, seconds = Math.Round(elapsed.TotalSeconds, 3) },
    };
}
