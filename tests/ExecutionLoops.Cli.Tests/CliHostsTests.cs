using ExecutionLoops.Diagnostics;
using ExecutionLoops.GitHub.Actions;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Cli.Tests;

/// <summary>The CI hosts the tool registers, picked from an environment the test writes (never the process's own).</summary>
public sealed class CliHostsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loops-hosts-").FullName;
    private readonly StringWriter _log = new();

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Reporters_OnGitHubActions_PickTheActionsReporterWiredToTheJobsFiles()
    {
        var summary = Path.Combine(_folder, "summary.md");
        var environment = new HostEnvironment(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["CI"] = "true" }, _log);

        var reporter = CliHosts.Reporters.Select(environment);

        reporter.ShouldBeOfType<GitHubActionsReporter>();
        reporter.Annotate(Diagnostic.Error("EL1004", "Unknown key.", "a.md", 2, 1));
        reporter.Summary("# Run");
        _log.ToString().ShouldStartWith("::error file=a.md,line=2,col=1,title=EL1004::");
        File.ReadAllText(summary).ShouldBe("# Run\n");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void Reporters_OutsideAKnownCiHost_AreLocal(string? actions)
    {
        var environment = new HostEnvironment(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = actions, ["CI"] = "true" }, _log);

        CliHosts.Reporters.Select(environment).Name.ShouldBe("local");
    }
}
