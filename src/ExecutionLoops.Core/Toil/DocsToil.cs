using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: docs</c>: refreshes marker regions in Markdown files from a command's output or a generated file,
/// so reference sections (command help, schemas, tables) never drift from the code. Files whose regions did
/// not change are not rewritten. (API reference pages are planned.)
/// </summary>
public sealed class DocsToil : IToil
{
    /// <inheritdoc />
    public string Kind => "docs";

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var updated = 0;
        var deadline = DateTimeOffset.UtcNow + context.Timeout;
        foreach (var region in context.Brief.Docs.Regions)
        {
            var content = region.Command is { } command ? await RunAsync(context, command, deadline - DateTimeOffset.UtcNow, cancellationToken) : await ReadSourceAsync(context, region, cancellationToken);
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

        return ToilResult.Success($"refreshed {updated} of {context.Brief.Docs.Regions.Count} docs region(s)");
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
