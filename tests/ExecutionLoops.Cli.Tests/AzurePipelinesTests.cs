using System.Text.Json;
using ExecutionLoops.AzureDevOps.Pipelines;
using ExecutionLoops.AzureDevOps.Repos;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The Azure Pipelines host: logging commands (escaped by the agent's rules) through the real CLI, the azure-matrix plan
/// format, report merge on per-job reports, and the azure-repos settings read from a pipeline's variables.
/// </summary>
public sealed class AzurePipelinesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loops-azp-").FullName;
    private readonly StringWriter _commands = new();

    private AzurePipelinesReporter Reporter() => new(_commands, _folder);

    public void Dispose()
    {
        _commands.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Annotate_WritesLogIssueWithEscapedPropertiesAndMessage()
    {
        Reporter().Annotate(Diagnostic.Error("EL1004", "Unknown key 'a;b]'\r\nsecond line 100%", "dir;x]/m.md", 3, 5, "Did you mean 'c'?"));

        _commands.ToString().ShouldBe("##vso[task.logissue type=error;sourcepath=dir%3Bx%5D/m.md;linenumber=3;columnnumber=5;code=EL1004]Unknown key 'a%3Bb%5D'%0D%0Asecond line 100%AZP25 Did you mean 'c'?\n");
    }

    [Fact]
    public void OutputsSecretsGroupsAndSummary_UseTheirLoggingCommands()
    {
        var reporter = Reporter();

        reporter.Output("count", "2");
        reporter.Output("body", "line one\nline two; ]");
        using (reporter.Group("mission a"))
        {
            reporter.Mask("s3cret;value");
        }

        reporter.Summary("# Run");

        var lines = _commands.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("##vso[task.setvariable variable=count;isOutput=true]2");
        lines[1].ShouldBe("##vso[task.setvariable variable=body;isOutput=true]line one%0Aline two%3B %5D");
        lines[2].ShouldBe("##[group]mission a");
        lines[3].ShouldBe("##vso[task.setsecret]s3cret%3Bvalue");
        lines[4].ShouldBe("##[endgroup]");
        lines[5].ShouldStartWith("##vso[task.uploadsummary]");
        File.ReadAllText(lines[5]["##vso[task.uploadsummary]".Length..]).ShouldBe("# Run");
    }

    [Fact]
    public void Reporters_OnAzurePipelines_PickTheAzureReporterWritingSummariesToTheAgentsTempFolder()
    {
        var environment = new HostEnvironment(new Dictionary<string, string?> { ["TF_BUILD"] = "True", ["AGENT_TEMPDIRECTORY"] = _folder }, _commands);

        var reporter = CliHosts.Reporters.Select(environment);

        reporter.ShouldBeOfType<AzurePipelinesReporter>();
        reporter.Summary("# Run");
        _commands.ToString().ShouldStartWith($"##vso[task.uploadsummary]{_folder}");
        CliHosts.Reporters.Select(environment with { Variables = new Dictionary<string, string?> { ["TF_BUILD"] = null } }).Name.ShouldBe("local");
    }

    [Fact]
    public async Task Delegate_OnAzurePipelines_LogsIssuesGroupsUploadsTheSummaryAndSetsOutputs()
    {
        using var repo = MissionRepo.Create(
            ("append-note", MissionRepo.Command("echo changed >> notes.txt")),
            ("blocked", MissionRepo.Command("echo x >> other.txt", gates: "[diff, {command: {run: \"exit 4\"}}]")));

        var result = await CliRunner.RunAsync(repo.Root, Reporter(), "delegate", "--all");

        result.ExitCode.ShouldBe(1);
        var commands = _commands.ToString();
        commands.ShouldContain("##[group]mission append-note\n");
        commands.ShouldContain("##[endgroup]");
        commands.ShouldContain("##vso[task.logissue type=error;code=EL3006]Command gate 'exit 4' failed with exit code 4.");
        commands.ShouldContain("##vso[task.setvariable variable=review-items;isOutput=true]append-note\n");
        commands.ShouldContain("##vso[task.setvariable variable=result;isOutput=true]{");
        var summary = commands.Split('\n').Single(l => l.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal))["##vso[task.uploadsummary]".Length..];
        File.ReadAllText(summary).ShouldContain("| append-note | command | ✓ published |");
        commands.ShouldNotContain("task.complete"); // a failing run fails by its exit code
    }

    [Fact]
    public async Task Delegate_WithAFailedAdvisoryGate_CompletesTheStepAsSucceededWithIssues()
    {
        using var repo = MissionRepo.Create(("note", MissionRepo.Command("echo changed >> notes.txt", gates: "[diff, {command: {run: \"exit 4\", required: false}}]")));

        var result = await CliRunner.RunAsync(repo.Root, Reporter(), "delegate", "--all");

        result.ExitCode.ShouldBe(0, result.All);
        _commands.ToString().ShouldContain("##vso[task.complete result=SucceededWithIssues;]");
    }

    [Fact]
    public async Task PlanAzureMatrix_MapsJobNamesToTheDueMissions()
    {
        using var repo = MissionRepo.Create(("format-code", MissionRepo.Command("true")), ("2fast", MissionRepo.Command("true")), ("idle", MissionRepo.Command("true")));

        var result = await CliRunner.RunAsync(repo.Root, Reporter(), "plan", "--mission", "format-code", "--mission", "2fast", "--format", "azure-matrix");

        result.ExitCode.ShouldBe(0, result.All);
        var matrix = JsonDocument.Parse(result.Output).RootElement;
        matrix.EnumerateObject().Select(p => p.Name).ShouldBe(["format_code", "m_2fast"], ignoreOrder: true);
        matrix.GetProperty("format_code").GetProperty("mission").GetString().ShouldBe("format-code");
        matrix.GetProperty("m_2fast").GetProperty("mission").GetString().ShouldBe("2fast");
        _commands.ToString().ShouldContain("##vso[task.setvariable variable=count;isOutput=true]2\n");
        _commands.ToString().ShouldContain("##vso[task.setvariable variable=matrix;isOutput=true]{\"");
    }

    [Fact]
    public async Task PlanFormat_ThatNoHostRegisters_IsRefused()
    {
        using var repo = MissionRepo.Create(("a", MissionRepo.Command("true")));

        var result = await CliRunner.RunAsync(repo.Root, "plan", "--format", "gitlab-matrix");

        result.ExitCode.ShouldBe(2, result.All);
        result.All.ShouldContain("azure-matrix");
    }

    [Fact]
    public async Task ReportMerge_OnPerJobReportsOfAMatrix_UploadsOneSummary()
    {
        // One job per mission, each with its own report, as the azure-matrix fan-out runs them.
        using var repo = MissionRepo.Create(("one", MissionRepo.Command("echo 1 >> a.txt")), ("two", MissionRepo.Command("echo 2 >> b.txt")));
        foreach (var mission in new[] { "one", "two" })
        {
            (await CliRunner.RunAsync(repo.Root, "delegate", "--mission", mission, "--report", Path.Combine(_folder, "reports", $"{mission}.json"))).ExitCode.ShouldBe(0);
        }

        var merged = await CliRunner.RunAsync(_folder, Reporter(), "report", "merge", "reports", "--output", "merged.json");

        merged.ExitCode.ShouldBe(0, merged.All);
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "merged.json"))).RootElement.GetProperty("missions").EnumerateArray()
            .Select(m => m.GetProperty("missionId").GetString()).ShouldBe(["one", "two"], ignoreOrder: true);
        var summary = _commands.ToString().Split('\n').Single(l => l.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal))["##vso[task.uploadsummary]".Length..];
        File.ReadAllText(summary).ShouldContain("2 mission(s): 2 published");
    }

    [Fact]
    public async Task Settings_InAPipeline_ComeFromItsVariables_WithTheJobTokenAsBearer()
    {
        using var repo = MissionRepo.Create(("a", MissionRepo.Command("true")));
        var engine = await ExecutionLoops.LoopsEngine.OpenAsync(repo.Root, CancellationToken.None);
        var pipeline = new Dictionary<string, string?>
        {
            ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/contoso/",
            ["SYSTEM_TEAMPROJECT"] = "Shop Project",
            ["BUILD_REPOSITORY_NAME"] = "shop",
            ["BUILD_REPOSITORY_PROVIDER"] = "TfsGit",
            ["BUILD_BUILDID"] = "812",
            ["SYSTEM_ACCESSTOKEN"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.job-token",
        };

        var settings = AzureReposSettings.From(engine.Workspace, pipeline);

        settings.CollectionUrl.ShouldBe(new Uri("https://dev.azure.com/contoso/"));
        (settings.Project, settings.Repository, settings.Remote).ShouldBe(("Shop Project", "shop", "origin"));
        settings.Authorization.ShouldBe("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.job-token");
        settings.ToString().ShouldNotContain("job-token");
        settings.Trusted.ShouldBe(["[Shop Project]\\Contributors"]);
        settings.RunUrl.ShouldBe("https://dev.azure.com/contoso/Shop%20Project/_build/results?buildId=812");
        settings.IdentityUrl.ShouldBe(new Uri("https://vssps.dev.azure.com/contoso/"));
        settings.WebUrl(7).ShouldBe("https://dev.azure.com/contoso/Shop%20Project/_git/shop/pullrequest/7");
        ExecutionLoops.Security.SecretMasker.Process.Mask("token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.job-token").ShouldNotContain("job-token");

        // A pipeline building a GitHub repository has no Azure Repos repository to default to; without a token nothing is called.
        Should.Throw<LoopsException>(() => AzureReposSettings.From(engine.Workspace, new Dictionary<string, string?>(pipeline) { ["BUILD_REPOSITORY_PROVIDER"] = "GitHub" })).Message.ShouldContain("repository");
        Should.Throw<LoopsException>(() => AzureReposSettings.From(engine.Workspace, new Dictionary<string, string?>(pipeline) { ["SYSTEM_ACCESSTOKEN"] = null })).Diagnostics[0].Code.ShouldBe("EL4011");
    }
}
