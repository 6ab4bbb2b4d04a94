using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops lint [paths…]</c>: every problem in every brief and the config, in canonical form; exit 2 on any error.</summary>
internal static class LintCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("paths") { Description = "Brief files or folders (default: every brief the config names).", Arity = ArgumentArity.ZeroOrMore };
        var json = GlobalOptions.Json("the diagnostics");
        var command = new Command("lint", "Check mission briefs and .loops/config.yml: syntax, keys, types, ids, cron, kinds, gates, scope, and the seed's anti-patterns.") { paths, json };
        CommandAction.Set(command, context, (parse, _) =>
        {
            var root = GlobalOptions.RepoPath(context, parse);
            var result = LoopsEngine.Lint(root, parse.GetValue(paths) is { Length: > 0 } given ? given.Select(p => Path.GetFullPath(Path.Combine(context.WorkingDirectory, p))).ToList() : null, context.Extensions);
            var errors = result.Diagnostics.Count(d => d.IsError);
            var warnings = result.Diagnostics.Count - errors;
            if (parse.GetValue(json))
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    context.Host.Annotate(diagnostic);
                }

                var document = new { briefs = result.Briefs.Select(b => b.Id), errors, warnings, diagnostics = result.Diagnostics.Select(d => new { d.Code, severity = d.IsError ? "error" : "warning", d.Message, d.Hint, d.Path, d.Line, d.Column, text = d.ToString() }) };
                context.Output.WriteLine(JsonSerializer.Serialize(document, LoopsJson.Indented));
            }
            else
            {
                DiagnosticPrinter.Print(context.Out, result.Diagnostics, context.Host);
                var files = result.Briefs.Select(b => b.SourcePath).Distinct(StringComparer.Ordinal).Count();
                var missions = result.Briefs.Count == files ? "" : $" ({result.Briefs.Count} missions with their groups)";
                context.Output.WriteLine($"lint: {files} valid brief(s){missions}, {errors} error(s), {warnings} warning(s).");
            }

            return Task.FromResult(errors > 0 ? ExitCodes.InvalidInput : ExitCodes.Success);
        });
        return command;
    }
}
