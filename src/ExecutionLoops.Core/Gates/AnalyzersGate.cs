using System.Text.Json;
using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>analyzers</c>: no new compiler or analyzer warnings compared with the base commit. Both states are built
/// with SARIF and compared by fingerprint (rule, file, message; not the line), so moved code is not new and a
/// second copy of an old warning is. The baseline is cached per base commit beside the worktrees.
/// </summary>
internal sealed class AnalyzersGate : IGate
{
    /// <inheritdoc />
    public string Name => "analyzers";

    /// <inheritdoc />
    public string Summary => "No new compiler or analyzer warnings compared with the base commit (SARIF fingerprints).";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("rules", OptionType.TextList, "Only these rule ids count (a list, or comma-separated); default all."),
    ];

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var stopwatch = new ClockStopwatch(context.Clock);
        var solution = GateResults.Solution(context);
        var timeout = context.Brief.Constraints.Timeout ?? context.Config.MissionTimeout;
        var baseline = await BaselineAsync(context, solution, timeout, cancellationToken);
        if (baseline.Findings is null)
        {
            return GateResults.Failed(spec, stopwatch.Elapsed, "the base commit does not build, so there is no baseline", [], baseline.Tail);
        }

        var (current, result) = await AnalyzerBuild.RunAsync(context.Processes, context.TempDirectory ?? Path.GetTempPath(), context.WorktreePath, solution, timeout, context.Log.Write, cancellationToken);
        if (current is null)
        {
            return GateResults.Failed(spec, stopwatch.Elapsed, "the build failed", [Diagnostic.Error(DiagnosticCodes.BuildFailed, "The analyzer build of the change failed.")], result.Tail());
        }

        var rules = spec.Values.List("rules")?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = SarifLogReader.NewSince(baseline.Findings, current)
            .Where(f => f.Level is "warning" or "error" && (rules is null || rules.Contains(f.RuleId)))
            .ToList();
        if (added.Count == 0)
        {
            return GateResults.Passed(spec, stopwatch.Elapsed, $"no new warnings ({current.Count} finding(s), baseline {baseline.Findings.Count})");
        }

        var diagnostics = added.Select(f => Diagnostic.Error(DiagnosticCodes.NewAnalyzerWarnings, $"New {f.RuleId}: {f.Message}", f.Path, f.Line, f.Column, "Fix it, or suppress it with a justification.")).ToList();
        return GateResults.Failed(spec, stopwatch.Elapsed, $"{added.Count} new warning(s) compared with the base: {string.Join(", ", added.Select(f => f.RuleId).Distinct().Take(5))}", diagnostics);
    }

    /// <summary>The base commit's findings, built once in a detached worktree and cached by commit.</summary>
    private static async Task<(IReadOnlyList<AnalyzerFinding>? Findings, string Tail)> BaselineAsync(GateContext context, string solution, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cache = BaseCommitWorktree.CacheFile(context.WorktreePath, context.BaseCommit, "analyzers");
        if (File.Exists(cache))
        {
            return (JsonSerializer.Deserialize<List<AnalyzerFinding>>(await File.ReadAllTextAsync(cache, cancellationToken)), "");
        }

        var relativeSolution = Path.GetRelativePath(context.WorktreePath, solution);
        var (findings, result) = await BaseCommitWorktree.RunAsync(context.WorktreePath, context.BaseCommit, context.EngineProcesses ?? context.Processes, folder => AnalyzerBuild.RunAsync(context.EngineProcesses ?? context.Processes, Path.GetTempPath(), folder, Path.Combine(folder, relativeSolution), timeout, context.Log.Write, cancellationToken), cancellationToken);
        if (findings is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            await File.WriteAllTextAsync(cache, JsonSerializer.Serialize(findings), cancellationToken);
        }

        return (findings, result.Tail());
    }
}
