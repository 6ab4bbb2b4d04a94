using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: format</c>: one <c>dotnet format</c> run over the mission's scope (whitespace, code style and
/// analyzer fixes as the repository's .editorconfig defines them), so the workspace is loaded once.
/// </summary>
public sealed class FormatToil : IToil
{
    /// <inheritdoc />
    public string Kind => "format";

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
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
