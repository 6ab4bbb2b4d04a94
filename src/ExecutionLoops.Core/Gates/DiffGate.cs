using System.Globalization;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>diff</c>: the change stays within its limits (files, lines), inside the mission scope, and away from
/// protected paths unless the brief names them.
/// </summary>
internal sealed class DiffGate : IGate
{
    /// <inheritdoc />
    public string Name => "diff";

    /// <inheritdoc />
    public string Summary => "Diff limits, protected paths and scope.";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("max-files", OptionType.PositiveInt, "Most files the change may touch."),
        new("max-lines", OptionType.PositiveInt, "Most lines added plus removed."),
        new("max-bytes", OptionType.Size, "Most bytes the change may add: new files' sizes plus the growth of changed files (500KB, 5MB, 2000000; default 5MB)."),
    ];

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var stopwatch = new ClockStopwatch(context.Clock);
        var changes = context.Changes;
        var lines = changes.Sum(c => c.Insertions + c.Deletions);
        var options = DiffOptions.Read(spec);
        var maxFiles = options.MaxFiles ?? context.Brief.Constraints.MaxFiles;
        var maxLines = options.MaxLines ?? context.Brief.Constraints.MaxLines;
        var diagnostics = new List<Diagnostic>();
        if (maxFiles is { } files && changes.Count > files)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DiffTooLarge, $"The change touches {changes.Count} files; the limit is {files}.", hint: "Split the mission or raise max-files."));
        }

        if (maxLines is { } limit && lines > limit)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DiffTooLarge, $"The change has {lines} changed lines; the limit is {limit}.", hint: "Split the mission or raise max-lines."));
        }

        var maxBytes = options.MaxBytes ?? context.Brief.Constraints.MaxBytes ?? ByteSize.DefaultLimit;
        var bytes = await ChangeBytes.MeasureAsync(context.Processes, context.WorktreePath, context.BaseCommit, changes, cancellationToken);
        if (bytes.Values.Sum() is var total && total > maxBytes)
        {
            var largest = bytes.MaxBy(b => b.Value);
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DiffTooLarge, $"The change adds {ByteSize.Format(total)}; the limit is {ByteSize.Format(maxBytes)} (largest: '{largest.Key}', {ByteSize.Format(largest.Value)}).", largest.Key, hint: "Keep generated or large files out of the change, or raise constraints.max-bytes."));
        }

        if (!context.Brief.Constraints.AllowBinary)
        {
            diagnostics.AddRange(changes.Where(c => c.Binary).Select(c =>
                Diagnostic.Error(DiagnosticCodes.BinaryFile, $"'{c.Path}' is a binary file; the brief does not allow binaries.", c.Path, hint: "Set constraints.allow-binary: true if the mission may add binary files.")));
        }

        var scope = new ScopeMatcher(context.Brief.Scope);
        diagnostics.AddRange(changes.Where(c => !scope.IsInScope(c.Path)).Select(c =>
            Diagnostic.Error(DiagnosticCodes.OutsideScope, $"'{c.Path}' was changed but is outside the mission scope.", c.Path, hint: "Widen scope.include in the brief if the change is intended.")));
        diagnostics.AddRange(ProtectedPaths.Violations(changes.Select(c => c.Path), context.Brief, context.Config).Select(path =>
            Diagnostic.Error(DiagnosticCodes.ProtectedPath, $"'{path}' is protected and the brief does not name it.", path, hint: $"Name it explicitly in scope.include (\"{path}\") if the mission may change it.")));

        var stat = $"{changes.Count} file(s), +{changes.Sum(c => c.Insertions)} −{changes.Sum(c => c.Deletions)}";
        return diagnostics.Count == 0
            ? GateResults.Passed(spec, stopwatch.Elapsed, stat)
            : GateResults.Failed(spec, stopwatch.Elapsed, $"{stat}: {diagnostics[0].Message}", diagnostics);
    }

    /// <summary>The gate's options; each falls back to the brief's constraints.</summary>
    private sealed record DiffOptions(int? MaxFiles, int? MaxLines, long? MaxBytes)
    {
        public static DiffOptions Read(GateSpec spec) => new(spec.Values.WholeNumber("max-files"), spec.Values.WholeNumber("max-lines"), spec.Values.Size("max-bytes"));
    }
}
