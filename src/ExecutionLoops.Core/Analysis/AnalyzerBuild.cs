using ExecutionLoops.Processes;

namespace ExecutionLoops.Analysis;

/// <summary>
/// A full build with every compiler and analyzer finding written to SARIF: a small targets file (outside the
/// worktree) sets <c>ErrorLog</c> per project, warnings stay warnings, and nothing is skipped as up to date.
/// </summary>
internal static class AnalyzerBuild
{
    /// <summary>Builds <paramref name="solution"/> in <paramref name="root"/> and reads the findings (SARIF goes to a folder under <paramref name="tempDirectory"/>).</summary>
    public static async Task<(IReadOnlyList<AnalyzerFinding>? Findings, ProcessResult Result)> RunAsync(ProcessRunner processes, string tempDirectory, string root, string solution, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(tempDirectory, $"loops-sarif-{Guid.NewGuid():N}")).FullName;
        try
        {
            var hook = Path.Combine(folder, "loops-sarif.targets");
            await File.WriteAllTextAsync(hook, $"""
                <Project>
                  <PropertyGroup>
                    <ErrorLog>{folder}/$(MSBuildProjectName)-$(TargetFramework).sarif,version=2.1</ErrorLog>
                  </PropertyGroup>
                </Project>
                """, cancellationToken);
            var build = DotnetCli.Command(root, "build", solution, "--no-incremental", "-nologo", "-clp:NoSummary", "-p:TreatWarningsAsErrors=false", "-p:CodeAnalysisTreatWarningsAsErrors=false", $"-p:CustomAfterMicrosoftCommonTargets={hook}") with { Timeout = timeout, OnOutputLine = log };
            log($"$ {build.Display}");
            var result = await processes.RunAsync(build, cancellationToken);
            return result.Succeeded
                ? (SarifLogReader.Read(Directory.EnumerateFiles(folder, "*.sarif").Order(StringComparer.Ordinal), root), result)
                : (null, result);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
