using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>format</c>: the C# files the mission changed are formatted. Only those files are checked, and without
/// loading the solution: <c>csharpier check</c> when the tool manifest has CSharpier, else
/// <c>dotnet format whitespace --folder --verify-no-changes</c> (the .editorconfig layout rules). Each file that
/// would change becomes an EL3003 diagnostic. With no C# change the gate passes at once.
/// </summary>
internal sealed class FormatGate : IGate
{
    /// <inheritdoc />
    public string Name => "format";

    /// <inheritdoc />
    public string Summary => "dotnet format --verify-no-changes.";

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    public IReadOnlyList<string> CriterionWords { get; } = ["format", "editorconfig"];

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var files = context.Changes.Select(c => c.Path)
            .Where(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(context.WorktreePath, p)))
            .ToList();
        if (files.Count == 0)
        {
            return GateResults.Passed(spec, TimeSpan.Zero, "no C# files changed");
        }

        var csharpier = CSharpierTool.Find(context.WorktreePath);
        if (csharpier is not null)
        {
            var (restore, restoreTime) = await GateResults.RunAsync(context, CSharpierTool.Restore(context.WorktreePath), cancellationToken);
            if (!restore.Succeeded)
            {
                return GateResults.Failed(spec, restoreTime, "dotnet tool restore failed; CSharpier could not run", [], restore.Tail());
            }
        }

        var check = csharpier?.Check(context.WorktreePath, files)
            ?? DotnetCli.Command(context.WorktreePath, ["format", "whitespace", "--folder", "--verify-no-changes", "--verbosity", "minimal", "--include", .. files]);
        var (result, duration) = await GateResults.RunAsync(context, check, cancellationToken);
        if (result.Succeeded)
        {
            return GateResults.Passed(spec, duration, $"{files.Count} changed C# file(s) are formatted");
        }

        var findings = CompilerOutput.Parse(result.CombinedOutput, context.WorktreePath, DiagnosticCodes.FormatDirty);
        if (findings.Count == 0)
        {
            // CSharpier names the files on its own lines rather than in compiler form.
            findings = files.Where(f => result.CombinedOutput.Contains(f, StringComparison.Ordinal))
                .Select(f => Diagnostic.Error(DiagnosticCodes.FormatDirty, $"'{f}' is not formatted.", f, hint: "Run the formatter on it."))
                .ToList();
        }

        var dirty = findings.Select(f => f.Path).Distinct().ToList();
        var summary = dirty.Count == 0 ? $"{(csharpier is null ? "dotnet format" : "csharpier check")} failed (exit {result.ExitCode})" : $"{findings.Count} formatting issue(s) in {dirty.Count} file(s): {string.Join(", ", dirty.Take(5))}";
        return GateResults.Failed(spec, duration, summary, findings, result.Tail());
    }
}
