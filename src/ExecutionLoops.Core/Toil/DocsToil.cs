using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: docs</c>: refreshes marker regions in Markdown files from a command's output or a generated file,
/// so reference sections (command help, schemas, tables) never drift from the code. Files whose regions did
/// not change are not rewritten. (API reference pages are planned.)
/// </summary>
internal sealed class DocsToil : IToil
{
    /// <inheritdoc />
    public string Kind => "docs";

    /// <inheritdoc />
    public string Summary => "Refreshes marker regions in Markdown files from commands or files, and generates an API reference.";

    /// <inheritdoc />
    public BriefSection Section => DocsSection.Instance;

    /// <inheritdoc />
    public bool IsRoutine => true;

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var docs = context.Brief.SettingsOf<DocsSettings>();
        var updated = 0;
        var deadline = context.Clock.GetUtcNow() + context.Timeout;
        foreach (var region in docs.Regions)
        {
            var content = region.Command is { } command ? await RunAsync(context, command, deadline - context.Clock.GetUtcNow(), cancellationToken) : await ReadSourceAsync(context, region, cancellationToken);
            if (content.Failure is { } failure)
            {
                return failure;
            }

            var text = region.Fence is { } fence ? $"```{fence}\n{content.Text!.TrimEnd('\n')}\n```" : content.Text!;
            var path = Path.Combine(context.WorktreePath, region.File);
            if (!File.Exists(path))
            {
                return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.MissingValue, $"The docs file '{region.File}' does not exist.", context.Brief.RelativePath, hint: "Fix docs.regions.file in the brief."));
            }

            var original = await File.ReadAllTextAsync(path, cancellationToken);
            var replaced = MarkerRegions.Replace(original, region.Region, text);
            if (replaced is null)
            {
                return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.MissingValue, $"'{region.File}' has no region '{region.Region}'.", region.File, hint: $"Add the markers <!-- loops:begin {region.Region} --> and <!-- loops:end --> where the content belongs."));
            }

            if (replaced != original)
            {
                await File.WriteAllTextAsync(path, replaced, cancellationToken);
                context.Log.Write($"refreshed {region.File} region {region.Region}");
                updated++;
            }
        }

        var pages = 0;
        if (docs.ApiOutput is { } output)
        {
            var (written, failure) = await GenerateApiReferenceAsync(context, output, deadline - context.Clock.GetUtcNow(), cancellationToken);
            if (failure is not null)
            {
                return failure;
            }

            pages = written;
        }

        return ToilResult.Success($"refreshed {updated} of {docs.Regions.Count} docs region(s){(docs.ApiOutput is null ? "" : $", {pages} API page(s) changed")}");
    }

    /// <summary>Builds with XML documentation on, then writes the pages; stale generated pages are removed, hand-written files never touched.</summary>
    private static async Task<(int Written, ToilResult? Failure)> GenerateApiReferenceAsync(ToilContext context, string output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var solution = Workspace.SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
        var build = DotnetCli.Command(context.WorktreePath, "build", solution, "-nologo", "-clp:NoSummary", "-p:GenerateDocumentationFile=true", "-p:TreatWarningsAsErrors=false", "-p:NoWarn=CS1591") with { Timeout = timeout, OnOutputLine = context.Log.Write };
        var result = await context.Processes.RunAsync(build, cancellationToken);
        if (!result.Succeeded)
        {
            return (0, ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilFailed, "The build for the API reference failed.", context.Brief.RelativePath, hint: "See the log tail; the build must pass before docs can be generated."), result.Tail()));
        }

        var scope = new Workspace.ScopeMatcher(context.Brief.Scope);
        var documents = new List<System.Xml.Linq.XDocument>();
        foreach (var project in Directory.EnumerateFiles(context.WorktreePath, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(context.WorktreePath, project).Replace('\\', '/');
            var name = Path.GetFileNameWithoutExtension(project);
            var bin = Path.Combine(Path.GetDirectoryName(project)!, "bin");
            if (!scope.IsInScope(relative) || !Directory.Exists(bin))
            {
                continue;
            }

            var xml = Directory.EnumerateFiles(bin, $"{name}.xml", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (xml is not null)
            {
                documents.Add(System.Xml.Linq.XDocument.Load(xml));
            }
        }

        var folder = Path.Combine(context.WorktreePath, output);
        Directory.CreateDirectory(folder);
        var pages = ApiReferenceWriter.Write(documents);
        var written = 0;
        foreach (var (file, content) in pages)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != content)
            {
                await File.WriteAllTextAsync(path, content, cancellationToken);
                written++;
            }
        }

        foreach (var stale in Directory.EnumerateFiles(folder, "*.md").Where(p => !pages.ContainsKey(Path.GetFileName(p))))
        {
            if ((await File.ReadAllTextAsync(stale, cancellationToken)).StartsWith(ApiReferenceWriter.Header, StringComparison.Ordinal))
            {
                File.Delete(stale);
                written++;
            }
        }

        return (written, null);
    }

    private static async Task<(string? Text, ToilResult? Failure)> RunAsync(ToilContext context, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        context.Log.Write($"$ {command}");
        var result = await context.Processes.RunAsync(ProcessSpec.Shell(command, context.WorktreePath) with { Timeout = timeout }, cancellationToken);
        if (result.TimedOut)
        {
            return (null, ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilTimedOut, $"'{command}' did not finish in time; its process tree was killed.", context.Brief.RelativePath), result.Tail()));
        }

        return result.Succeeded
            ? (result.StandardOutput, null)
            : (null, ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilFailed, $"'{command}' failed with exit code {result.ExitCode}; the region was left as it was.", context.Brief.RelativePath), result.Tail()));
    }

    private static async Task<(string? Text, ToilResult? Failure)> ReadSourceAsync(ToilContext context, DocsRegion region, CancellationToken cancellationToken)
    {
        var path = Path.Combine(context.WorktreePath, region.Source!);
        return File.Exists(path)
            ? (await File.ReadAllTextAsync(path, cancellationToken), null)
            : (null, ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.MissingValue, $"The docs source '{region.Source}' does not exist.", context.Brief.RelativePath, hint: "Fix docs.regions.source, or generate the file in an earlier mission.")));
    }
}
