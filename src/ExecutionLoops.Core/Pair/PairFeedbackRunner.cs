using ExecutionLoops.Analysis;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Pair;

/// <summary>Immediate feedback for a pair session: an incremental build of the project and, when asked, its tests.</summary>
public sealed class PairFeedbackRunner(ProcessRunner processes)
{
    /// <summary>
    /// Builds <paramref name="project"/> (and tests it when <paramref name="runTests"/>); compile errors are results,
    /// not failures. When the caller already built in-process (the MSBuild Pair target), <paramref name="evidence"/>
    /// carries the result and the compiler's SARIF log instead, and nothing is built twice.
    /// </summary>
    /// <param name="testProjects">Only these test projects (watch mode: the affected ones); null tests <paramref name="project"/>.</param>
    public async Task<PairFeedback> RunAsync(string root, string project, bool runTests, BuildEvidence? evidence, CancellationToken cancellationToken, IReadOnlyList<string>? testProjects = null)
    {
        bool succeeded;
        IReadOnlyList<Diagnostic> errors, warnings;
        if (evidence is { } given && File.Exists(given.CompilerLog))
        {
            succeeded = given.Succeeded;
            var all = SarifLogReader.ReadDiagnostics(given.CompilerLog, root);
            errors = all.Where(d => d.IsError).ToList();
            warnings = all.Where(d => !d.IsError).ToList();
            if (!succeeded && errors.Count == 0)
            {
                // The compiler never ran (restore or project evaluation failed): say so instead of "0 errors".
                errors = [Diagnostic.Error(DiagnosticCodes.BuildFailed, "The build failed before compiling (restore or project evaluation); the NuGet (NUxxxx) or MSBuild (MSBxxxx) errors are in the build output.", Path.GetRelativePath(root, project).Replace('\\', '/'))];
            }
        }
        else
        {
            var build = await processes.RunAsync(DotnetCli.Command(root, "build", project, "-nologo", "-clp:NoSummary"), cancellationToken);
            var all = CompilerOutput.Parse(build.CombinedOutput, root, DiagnosticCodes.BuildFailed, includeWarnings: true);
            succeeded = build.Succeeded;
            errors = all.Where(d => d.IsError).ToList();
            warnings = all.Where(d => !d.IsError).ToList();
        }

        if (!succeeded || !runTests)
        {
            return new PairFeedback(succeeded, errors, warnings, false, 0, []);
        }

        var results = Directory.CreateTempSubdirectory("loops-pair-trx-").FullName;
        try
        {
            foreach (var target in testProjects ?? [project])
            {
                await processes.RunAsync(DotnetCli.Command(root, "test", target, "--no-build", "-nologo", "--logger", "trx", "--results-directory", results), cancellationToken);
            }

            var trx = TrxResults.Read(results);
            return new PairFeedback(true, errors, warnings, true, trx.Passed, trx.Failed.Select(f => $"{f.Name}: {f.Message}").ToList());
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }
}
