using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: format</c>: CSharpier over the C# files in scope when the repository's tool manifest has it; otherwise
/// the cheapest <c>dotnet format</c> that does what the brief asks (<see cref="FormatMode"/>): whitespace alone
/// runs in folder mode on the scope's files, with no restore and no solution load, so it works in any repository
/// and costs in proportion to the scope; style and analyzer fixes load the solution once. The summary says which ran.
/// </summary>
internal sealed partial class FormatToil : IToil
{
    /// <inheritdoc />
    public string Kind => "format";

    /// <inheritdoc />
    public string Summary => "Formats code with dotnet format (or CSharpier when the repository uses it).";

    /// <inheritdoc />
    public BriefSection Section => FormatSection.Instance;

    /// <inheritdoc />
    public bool IsRoutine => true;

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        if (CSharpierTool.Find(context.WorktreePath) is { } csharpier)
        {
            return await CSharpierAsync(context, csharpier, cancellationToken);
        }

        var (mode, why) = Choose(context.Brief.SettingsOf<FormatSettings>().Mode, context.WorktreePath);
        List<string> arguments;
        string ran;
        if (mode == FormatMode.Whitespace)
        {
            var files = new ScopeMatcher(context.Brief.Scope).Filter(CSharpFiles(context.WorktreePath));
            if (files.Count == 0)
            {
                return ToilResult.Success("no C# files in scope");
            }

            arguments = ["format", "whitespace", "--folder", "--verbosity", "minimal", "--include", .. files];
            ran = $"dotnet format whitespace (folder mode: no restore, no solution load) over {files.Count} C# file(s) in scope; {why}";
        }
        else
        {
            var solution = SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
            arguments = mode == FormatMode.Style ? ["format", "style", solution, "--verbosity", "minimal"] : ["format", solution, "--verbosity", "minimal"];
            arguments.AddRange(ScopeArguments(context.Brief.Scope));
            ran = $"dotnet format {(mode == FormatMode.Style ? "whitespace and style" : "whitespace, style and analyzers")} (the solution was loaded) over the scope; {why}";
        }

        var spec = DotnetCli.Command(context.WorktreePath, [.. arguments]) with { Timeout = context.Timeout, OnOutputLine = context.Log.Write };
        context.Log.Write($"$ {spec.Display}");

        ProcessResult result;
        try
        {
            result = await context.Processes.RunAsync(spec, cancellationToken);
        }
        catch (ToolNotFoundException ex)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToolMissing, "dotnet is not installed or not on PATH.", context.Brief.RelativePath, hint: "Install the .NET SDK and make sure 'dotnet --version' works."), ex.Message);
        }

        if (result.TimedOut)
        {
            return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilTimedOut, $"dotnet format did not finish within {DurationParser.Format(context.Timeout)} and was stopped.", context.Brief.RelativePath, hint: "Raise constraints.timeout or narrow the scope."), result.Tail());
        }

        var hint = mode == FormatMode.Whitespace ? "The last lines of its output are below." : "The solution must restore and load for style and analyzer fixes; 'format: whitespace' needs neither.";
        return result.Succeeded
            ? ToilResult.Success(ran, result.Tail())
            : ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilFailed, $"dotnet format failed (exit {result.ExitCode}).", context.Brief.RelativePath, hint: hint), result.Tail());
    }

    /// <summary>
    /// The mode to run and why: the brief's, or for <c>auto</c> whitespace alone unless an .editorconfig sets a
    /// severity for style or analyzer rules (only then do style and analyzer fixes change anything).
    /// </summary>
    internal static (FormatMode Mode, string Why) Choose(FormatMode asked, string root)
    {
        if (asked != FormatMode.Auto)
        {
            return (asked, $"the brief asks for format: {asked.ToString().ToLowerInvariant()}");
        }

        var configured = Directory.EnumerateFiles(root, ".editorconfig", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj" or ".git"))
            .FirstOrDefault(path => File.ReadLines(path).Any(line => SeverityLine().IsMatch(line)));
        return configured is null
            ? (FormatMode.Whitespace, "no .editorconfig sets a style or analyzer severity, so whitespace is all that applies")
            : (FormatMode.All, $"{Path.GetRelativePath(root, configured).Replace('\\', '/')} sets style or analyzer severities");
    }

    // "dotnet_diagnostic.CA1822.severity = warning", "csharp_style_var_elsewhere = true:warning", "dotnet_analyzer_diagnostic.severity = error"
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(dotnet_diagnostic\.\S+\.severity|dotnet_analyzer_diagnostic\.\S*severity|\w+_style_\w+\s*=\s*[^:#;]+:)\s*=?\s*(warning|error)\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SeverityLine();

    private static async Task<ToilResult> CSharpierAsync(ToilContext context, CSharpierTool csharpier, CancellationToken cancellationToken)
    {
        var scope = new ScopeMatcher(context.Brief.Scope);
        var files = scope.Filter(CSharpFiles(context.WorktreePath));
        if (files.Count == 0)
        {
            return ToilResult.Success("no C# files in scope");
        }

        // The whole scope as one argument when it is the whole repository keeps the command line short.
        IReadOnlyList<string> paths = context.Brief.Scope == MissionScope.Everything ? ["."] : files;
        foreach (var spec in new[] { CSharpierTool.Restore(context.WorktreePath), csharpier.Format(context.WorktreePath, paths) })
        {
            context.Log.Write($"$ {spec.Display}");
            var result = await context.Processes.RunAsync(spec with { Timeout = context.Timeout, OnOutputLine = context.Log.Write }, cancellationToken);
            if (!result.Succeeded)
            {
                var code = result.TimedOut ? DiagnosticCodes.ToilTimedOut : DiagnosticCodes.ToilFailed;
                return ToilResult.Failure(Diagnostic.Error(code, $"'{spec.Display}' failed (exit {result.ExitCode}).", context.Brief.RelativePath, hint: "See the log tail; 'dotnet tool restore' needs the tool's package source."), result.Tail());
            }
        }

        return ToilResult.Success($"CSharpier {csharpier.Version} formatted {files.Count} C# file(s) in scope");
    }

    /// <summary>Repo-relative paths of the C# sources (build outputs excluded).</summary>
    internal static IEnumerable<string> CSharpFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal);

    /// <summary>dotnet format's own --include/--exclude take the scope's globs; the default scope formats everything.</summary>
    private static IEnumerable<string> ScopeArguments(MissionScope scope)
    {
        if (!scope.Include.SequenceEqual(MissionScope.Everything.Include))
        {
            yield return "--include";
            foreach (var glob in scope.Include)
            {
                yield return glob;
            }
        }

        if (scope.Exclude.Count > 0)
        {
            yield return "--exclude";
            foreach (var glob in scope.Exclude)
            {
                yield return glob;
            }
        }
    }
}
