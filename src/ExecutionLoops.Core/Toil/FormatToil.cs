using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: format</c>: CSharpier over the C# files in scope when the repository's tool manifest has it;
/// otherwise one <c>dotnet format</c> run over the mission's scope (whitespace, code style and analyzer fixes as
/// the repository's .editorconfig defines them), so the workspace is loaded once.
/// </summary>
public sealed class FormatToil : IToil
{
    /// <inheritdoc />
    public string Kind => "format";

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        if (CSharpierTool.Find(context.WorktreePath) is { } csharpier)
        {
            return await CSharpierAsync(context, csharpier, cancellationToken);
        }

        var solution = SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
        var arguments = new List<string> { "format", solution, "--verbosity", "minimal" };
        arguments.AddRange(ScopeArguments(context.Brief.Scope));
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

        return result.Succeeded
            ? ToilResult.Success("dotnet format ran over the scope", result.Tail())
            : ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilFailed, $"dotnet format failed (exit {result.ExitCode}).", context.Brief.RelativePath, hint: "See the log tail; the solution may not load or restore."), result.Tail());
    }

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
