using System.Text;
using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: analyze</c>: builds with analyzers and collects SARIF, applies the automatic code fixes for the
/// diagnostics the brief names (<c>dotnet format analyzers</c>, and <c>dotnet format style</c> for IDE rules)
/// within the scope, builds again and reports each rule's count before and after. The final SARIF is written
/// beside the run report for upload to code scanning.
/// </summary>
internal sealed class AnalyzeToil : IToil
{
    /// <inheritdoc />
    public string Kind => "analyze";

    /// <inheritdoc />
    public string Summary => "Applies the automatic code fixes of analyzer and style rules.";

    /// <inheritdoc />
    public BriefSection Section => AnalyzeSection.Instance;

    /// <inheritdoc />
    public bool IsRoutine => true;

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var solution = SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
        var deadline = context.Clock.GetUtcNow() + context.Timeout;
        var (before, failure) = await BuildAsync(context, solution, deadline, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var rules = context.Brief.SettingsOf<AnalyzeSettings>().Diagnostics;
        var after = before!;
        if (rules.Count > 0)
        {
            foreach (var (verb, ids) in new[] { ("analyzers", rules.Where(r => !IsStyleRule(r)).ToList()), ("style", rules.Where(IsStyleRule).ToList()) })
            {
                if (ids.Count == 0)
                {
                    continue;
                }

                List<string> arguments = ["format", verb, solution, "--diagnostics", .. ids, "--severity", context.Brief.SettingsOf<AnalyzeSettings>().Severity, "--verbosity", "minimal"];
                if (!context.Brief.Scope.Include.SequenceEqual(MissionScope.Everything.Include))
                {
                    arguments.AddRange(["--include", .. context.Brief.Scope.Include]);
                }

                var fix = DotnetCli.Command(context.WorktreePath, [.. arguments]) with { Timeout = deadline - context.Clock.GetUtcNow(), OnOutputLine = context.Log.Write };
                context.Log.Write($"$ {fix.Display}");
                var result = await context.Processes.RunAsync(fix, cancellationToken);
                if (!result.Succeeded)
                {
                    return ToilResult.Failure(Diagnostic.Error(result.TimedOut ? DiagnosticCodes.ToilTimedOut : DiagnosticCodes.ToilFailed, $"dotnet format {verb} failed (exit {result.ExitCode}).", context.Brief.RelativePath, hint: "See the log tail."), result.Tail());
                }
            }

            (var rebuilt, failure) = await BuildAsync(context, solution, deadline, cancellationToken);
            if (failure is not null)
            {
                return failure;
            }

            after = rebuilt!;
        }

        var sarif = context.ArtifactsDirectory is { } folder ? Path.Combine(folder, $"{context.Brief.Id}.sarif") : null;
        if (sarif is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sarif)!);
            await File.WriteAllTextAsync(sarif, SarifLogReader.Write(after), cancellationToken);
            context.Log.Write($"SARIF for code scanning: {sarif}");
        }

        var counts = rules.Select(r => $"{r}: {before!.Count(f => f.RuleId == r)} → {after.Count(f => f.RuleId == r)}").ToList();
        var summary = rules.Count == 0
            ? $"{after.Count} analyzer finding(s) collected"
            : $"fixed {before!.Count(f => rules.Contains(f.RuleId)) - after.Count(f => rules.Contains(f.RuleId))} finding(s) ({string.Join(", ", counts)})";
        return ToilResult.Success(summary) with { Details = Describe(before!, after, rules, sarif) };
    }

    /// <summary>IDE rules are code-style rules, fixed by <c>dotnet format style</c>.</summary>
    private static bool IsStyleRule(string id) => id.StartsWith("IDE", StringComparison.OrdinalIgnoreCase);

    private static async Task<(IReadOnlyList<AnalyzerFinding>? Findings, ToilResult? Failure)> BuildAsync(ToilContext context, string solution, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var (findings, result) = await AnalyzerBuild.RunAsync(context.Processes, context.TempDirectory ?? Path.GetTempPath(), context.WorktreePath, solution, deadline - context.Clock.GetUtcNow(), context.Log.Write, cancellationToken);
        return findings is not null
            ? (findings, null)
            : (null, ToilResult.Failure(Diagnostic.Error(result.TimedOut ? DiagnosticCodes.ToilTimedOut : DiagnosticCodes.ToilFailed, $"The analyzer build failed (exit {result.ExitCode}).", context.Brief.RelativePath, hint: "The code must build before analyzer fixes can be applied; see the log tail."), result.Tail()));
    }

    private static string Describe(IReadOnlyList<AnalyzerFinding> before, IReadOnlyList<AnalyzerFinding> after, IReadOnlyList<string> rules, string? sarif)
    {
        var text = new StringBuilder();
        text.AppendLine("| rule | before | after |");
        text.AppendLine("|---|---|---|");
        var shown = rules.Count > 0 ? rules : before.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal).Take(20).ToList();
        foreach (var rule in shown)
        {
            text.AppendLine($"| {rule} | {before.Count(f => f.RuleId == rule)} | {after.Count(f => f.RuleId == rule)} |");
        }

        if (sarif is not null)
        {
            text.AppendLine();
            text.AppendLine($"SARIF of the result: `{Path.GetFileName(sarif)}` beside the run report (upload it to code scanning).");
        }

        return text.ToString();
    }
}
