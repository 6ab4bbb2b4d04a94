using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>A git repository with mission briefs written by the test.</summary>
public static class MissionRepo
{
    public static TempGitRepo Create(params (string Id, string FrontMatter)[] missions)
    {
        var repo = new TempGitRepo();
        repo.Write(".gitignore", ".loops/state/\nbin/\nobj/\n");
        foreach (var (id, frontMatter) in missions)
        {
            repo.Write($".loops/missions/{id}.md", $"---\n{frontMatter.Trim()}\n---\n# {id}\n\nSpecification of {id}.\n");
        }

        repo.Commit("missions");
        return repo;
    }

    /// <summary>A command mission with cheap gates (no dotnet build), for fast end-to-end tests.</summary>
    public static string Command(string run, string gates = "[diff]", string extra = "") => $"""
        kind: command
        on: {"{"}manual: true{"}"}
        constraints: {"{"}max-files: 5, max-lines: 50, timeout: 2m{"}"}
        commands: ["{run.Replace("\"", "\\\"", StringComparison.Ordinal)}"]
        gates: {gates}
        success: [the change is made]
        {extra}
        """;
}
