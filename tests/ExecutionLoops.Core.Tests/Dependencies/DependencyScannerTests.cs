using System.IO.Compression;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Dependencies;
using ExecutionLoops.Dependencies.Feeds;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Dependencies;

public sealed class DependencyScannerTests : IAsyncLifetime
{
    private readonly TempGitRepo _repo = new(initialCommit: false);
    private readonly string _cache = Directory.CreateTempSubdirectory("loops-http-cache-").FullName;
    private NuGetFeedEmulator _feed = null!;

    public async Task InitializeAsync() => _feed = await NuGetFeedEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _feed.DisposeAsync();
        _repo.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task EachPackageIsAskedOnce_AndRegistrationOnlyForPackagesWithACandidate()
    {
        _feed.Add("Serilog", "3.0.0", "3.1.1").Add("Polly", "8.0.0");
        UseSources(("feed", _feed.ServiceIndex));
        foreach (var name in new[] { "A", "B", "C" })
        {
            Project(name, ("Serilog", "3.0.0"), ("Polly", "8.0.0"));
        }

        var result = await ScanAsync();

        result.Diagnostics.ShouldBeEmpty();
        var serilog = result.Findings.Where(f => f.Dependency.PackageId == "Serilog").ToList();
        serilog.Count.ShouldBe(3);
        serilog.ShouldAllBe(f => f.Candidate!.ToNormalizedString() == "3.1.1" && f.Type == UpdateType.Minor);
        result.Findings.Where(f => f.Dependency.PackageId == "Polly").ShouldAllBe(f => f.Candidate == null && f.Reason == "up to date");
        _feed.Count("/v3/index.json").ShouldBe(1);
        _feed.Count("/flat/serilog/index.json").ShouldBe(1);
        _feed.Count("/flat/polly/index.json").ShouldBe(1);
        _feed.Count("/registration/serilog/").ShouldBe(1);
        _feed.Count("/registration/polly/").ShouldBe(0);
    }

    [Fact]
    public async Task TheDiskCache_ServesTheNextRun_AndStaleEntriesAreRevalidatedWithConditionalRequests()
    {
        _feed.Add("Serilog", "3.0.0", "3.1.1");
        UseSources(("feed", _feed.ServiceIndex));
        Project("A", ("Serilog", "3.0.0"));

        var first = await ScanAsync();
        var sent = _feed.Requests.Count;
        var second = await ScanAsync();
        var third = await ScanAsync(ttl: TimeSpan.Zero);

        first.Stats.Requests.ShouldBe(sent);
        second.Stats.Requests.ShouldBe(0);
        second.Stats.CacheHits.ShouldBeGreaterThan(0);
        second.Updates.Single().Candidate!.ToNormalizedString().ShouldBe("3.1.1");
        third.Stats.Revalidated.ShouldBe(third.Stats.Requests);
        _feed.Requests.Skip(sent).ShouldAllBe(r => r.Conditional && r.Status == 304);
        third.Updates.Single().Candidate!.ToNormalizedString().ShouldBe("3.1.1");
    }

    [Fact]
    public async Task RateLimitsAndServerErrors_AreRetried_HonouringRetryAfter()
    {
        _feed.Add("Serilog", "3.0.0", "3.1.1");
        _feed.Fail("/flat/serilog/", 429, retryAfter: "0");
        _feed.Fail("/flat/serilog/", 503);
        UseSources(("feed", _feed.ServiceIndex));
        Project("A", ("Serilog", "3.0.0"));

        var result = await ScanAsync();

        result.Diagnostics.ShouldBeEmpty();
        result.Stats.Retries.ShouldBe(2);
        result.Updates.Single().Candidate!.ToNormalizedString().ShouldBe("3.1.1");
    }

    [Fact]
    public async Task ASourceThatIsDownOrAnswersGarbage_IsReported_AndTheOtherSourcesStillServe()
    {
        await using var garbage = await NuGetFeedEmulator.StartAsync();
        garbage.Fail("/v3/index.json", 200, "<html>not a feed</html>");
        _feed.Add("Serilog", "3.0.0", "3.1.1");
        UseSources(("feed", _feed.ServiceIndex), ("broken", garbage.ServiceIndex), ("down", "http://127.0.0.1:9/v3/index.json"));
        Project("A", ("Serilog", "3.0.0"));

        var result = await ScanAsync();

        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.FeedInvalidResponse && d.Message.Contains("'broken'"));
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.FeedUnreachable && d.Message.Contains("'down'"));
        result.Updates.Single().Candidate!.ToNormalizedString().ShouldBe("3.1.1");
    }

    [Fact]
    public async Task UnknownPackages_AreAWarningAtTheirSite()
    {
        _feed.Add("Serilog", "3.0.0");
        UseSources(("feed", _feed.ServiceIndex));
        Project("A", ("Serilog", "3.0.0"), ("Does.Not.Exist", "1.0.0"));

        var result = await ScanAsync();

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        (warning.Code, warning.Path, warning.Line).ShouldBe((DiagnosticCodes.UnknownPackage, "src/A/A.csproj", 1));
        result.Findings.Single(f => f.Dependency.PackageId == "Does.Not.Exist").Reason.ShouldBe("no package source has this package");
    }

    [Fact]
    public async Task SourceMapping_RoutesEachPackageToItsSources_AndCredentialsComeFromTheEnvironment()
    {
        await using var private_ = await NuGetFeedEmulator.StartAsync();
        private_.RequiredCredentials = "ci:s3cret";
        private_.Add("Contoso.Core", "1.0.0", "1.2.0");
        _feed.Add("Serilog", "3.0.0", "3.1.1");
        var variable = $"LOOPS_TEST_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "s3cret");
        _repo.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="public" value="{_feed.ServiceIndex}" />
                <add key="contoso" value="{private_.ServiceIndex}" />
              </packageSources>
              <packageSourceCredentials>
                <contoso>
                  <add key="Username" value="ci" />
                  <add key="ClearTextPassword" value="%{variable}%" />
                </contoso>
              </packageSourceCredentials>
              <packageSourceMapping>
                <packageSource key="public"><package pattern="*" /></packageSource>
                <packageSource key="contoso"><package pattern="Contoso.*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        Project("A", ("Serilog", "3.0.0"), ("Contoso.Core", "1.0.0"));

        var result = await ScanAsync();
        Environment.SetEnvironmentVariable(variable, null);

        result.Diagnostics.ShouldBeEmpty();
        result.Updates.Select(u => $"{u.Dependency.PackageId} {u.Candidate}").ShouldBe(["Contoso.Core 1.2.0", "Serilog 3.1.1"], ignoreOrder: true);
        _feed.Count("contoso").ShouldBe(0);
        private_.Count("serilog").ShouldBe(0);
    }

    [Fact]
    public async Task AMissingCredential_NamesTheConfigLine_AndSkipsOnlyThatSource()
    {
        _feed.Add("Serilog", "3.0.0", "3.1.1");
        _repo.Write("nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="public" value="{_feed.ServiceIndex}" />
                <add key="private" value="http://127.0.0.1:9/v3/index.json" />
              </packageSources>
              <packageSourceCredentials>
                <private>
                  <add key="Username" value="ci" />
                  <add key="ClearTextPassword" value="%LOOPS_UNSET_{Guid.NewGuid():N}%" />
                </private>
              </packageSourceCredentials>
            </configuration>
            """);
        Project("A", ("Serilog", "3.0.0"));

        var result = await ScanAsync();

        var problem = result.Diagnostics.ShouldHaveSingleItem();
        (problem.Code, problem.Path, problem.Line).ShouldBe((DiagnosticCodes.FeedCredentialMissing, "nuget.config", 8));
        result.Updates.Single().Candidate!.ToNormalizedString().ShouldBe("3.1.1");
    }

    [Fact]
    public async Task LocalFolderFeeds_AndPagedRegistrations_AndAdvisoriesFromTheFeed()
    {
        var folder = _repo.Path("packages");
        Directory.CreateDirectory(folder);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            using var zip = ZipFile.Open(Path.Combine(folder, $"contoso.lib.{version}.nupkg"), ZipArchiveMode.Create);
            using var writer = new StreamWriter(zip.CreateEntry("Contoso.Lib.nuspec").Open());
            writer.Write($"<package><metadata><id>Contoso.Lib</id><version>{version}</version><repository url=\"https://example.org/contoso\" /></metadata></package>");
        }

        _feed.PagedRegistrations = true;
        _feed.Add("Serilog", "3.0.0", "3.0.1", "3.0.2", "4.0.0").Vulnerable("Serilog", "[3.0.0, 3.0.2)", severity: 3);
        UseSources(("feed", _feed.ServiceIndex), ("local", "./packages"));
        Project("A", ("Serilog", "3.0.0"), ("Contoso.Lib", "1.0.0"));

        var result = await ScanAsync(DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType> { UpdateType.Minor } }, withReleaseInfo: true);

        var serilog = result.Findings.Single(f => f.Dependency.PackageId == "Serilog");
        serilog.Candidate!.ToNormalizedString().ShouldBe("3.0.2");
        serilog.Security.ShouldBeTrue();
        _feed.Count("/registration/serilog/page.json").ShouldBe(1);
        var local = result.Findings.Single(f => f.Dependency.PackageId == "Contoso.Lib");
        local.Candidate!.ToNormalizedString().ShouldBe("1.1.0");
        local.Details!.RepositoryUrl.ShouldBe("https://example.org/contoso");
    }

    [Fact]
    public async Task PackagesSharingAProperty_MoveTogether_ToAVersionTheyAllHave()
    {
        _feed.Add("xunit", "2.4.0", "2.5.0", "2.6.0").Add("xunit.runner.visualstudio", "2.4.0", "2.5.0");
        UseSources(("feed", _feed.ServiceIndex));
        _repo.Write("Directory.Build.props", "<Project><PropertyGroup><XunitVersion>2.4.0</XunitVersion></PropertyGroup></Project>");
        _repo.Write("tests/T/T.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"xunit\" Version=\"$(XunitVersion)\" /><PackageReference Include=\"xunit.runner.visualstudio\" Version=\"$(XunitVersion)\" /></ItemGroup></Project>");

        var result = await ScanAsync();

        result.Updates.Select(u => u.Candidate!.ToNormalizedString()).ShouldBe(["2.5.0", "2.5.0"]);
        result.Updates.First(u => u.Dependency.PackageId == "xunit").Reason.ShouldContain("held to 2.5.0 because it shares $(XunitVersion)");
    }

    [Fact]
    public async Task AWrittenVersionMissingFromTheFeed_IsResolvedHigherWithAWarning_AndAnUnsatisfiableOneFailsRestore()
    {
        _feed.Add("Serilog", "3.0.0", "3.0.2", "3.1.0").Add("Polly", "7.0.0");
        UseSources(("feed", _feed.ServiceIndex));
        Project("A", ("Serilog", "3.0.1"), ("Polly", "8.0.0"));

        var result = await ScanAsync();

        var serilog = result.Findings.Single(f => f.Dependency.PackageId == "Serilog");
        (serilog.Current, serilog.Resolved!.ToNormalizedString(), serilog.Candidate!.ToNormalizedString()).ShouldBe(("3.0.1", "3.0.2", "3.1.0"));
        serilog.Lines.ToString().ShouldBe("minor 3.1.0");
        var missing = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.WrittenVersionMissing);
        (missing.Path, missing.Line, missing.Severity).ShouldBe(("src/A/A.csproj", 1, DiagnosticSeverity.Warning));
        missing.Message.ShouldBe("'Serilog' 3.0.1 is not on feed; restore takes 3.0.2 instead (NU1603).");
        var polly = result.Findings.Single(f => f.Dependency.PackageId == "Polly");
        (polly.Resolved, polly.Candidate).ShouldBe((null, null));
        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.WrittenVersionUnresolvable).Message.ShouldBe("No version of 'Polly' on feed satisfies '8.0.0'; restore fails (NU1102).");
    }

    [Fact]
    public async Task WithoutVulnerabilityDataOnAnySource_TheScanSaysSo_InsteadOfACount()
    {
        _feed.VulnerabilityData = false;
        _feed.Add("Serilog", "3.0.0", "3.1.0").Vulnerable("Serilog", "[3.0.0, 3.1.0)");
        UseSources(("feed", _feed.ServiceIndex));
        Project("A", ("Serilog", "3.0.0"));

        var result = await ScanAsync();

        result.VulnerabilityDataAvailable.ShouldBeFalse();
        result.VulnerabilitySummary.ShouldBe("vulnerability data: not available from these sources");
        result.Findings.Single().Advisories.ShouldBeEmpty();
        _feed.Count("/vulnerabilities/").ShouldBe(0);
    }

    [Fact]
    public async Task AuditSources_AreTheOnlyVulnerabilityData_WhenConfigured_AndOneWithoutDataIsAWarning()
    {
        _feed.VulnerabilityData = false;
        _feed.Add("Serilog", "3.0.0", "3.0.1", "3.0.2", "4.0.0");
        await using var audit = await NuGetFeedEmulator.StartAsync();
        audit.Vulnerable("Serilog", "[3.0.0, 3.0.2)", severity: 2, url: "https://github.com/advisories/GHSA-audit");
        await using var empty = await NuGetFeedEmulator.StartAsync();
        empty.VulnerabilityData = false;
        _repo.Write("nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{_feed.ServiceIndex}" />
              </packageSources>
              <auditSources>
                <clear />
                <add key="advisories" value="{audit.ServiceIndex}" />
                <add key="silent" value="{empty.ServiceIndex}" />
              </auditSources>
            </configuration>
            """);
        Project("A", ("Serilog", "3.0.0"));

        var result = await ScanAsync(DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType> { UpdateType.Patch } });

        result.VulnerabilitySources.ShouldBe(["advisories"]);
        var serilog = result.Findings.Single();
        serilog.Candidate!.ToNormalizedString().ShouldBe("3.0.2");
        serilog.Security.ShouldBeTrue();
        serilog.Advisories.Single().Url.ShouldBe("https://github.com/advisories/GHSA-audit");
        serilog.Lines.ToString().ShouldBe("patch 3.0.2, major 4.0.0");
        result.Diagnostics.Single(d => d.Code == DiagnosticCodes.AuditSourceWithoutData).Message.ShouldContain("'silent'");
        audit.Count("/flat/").ShouldBe(0);
    }

    private void UseSources(params (string Name, string Url)[] sources) =>
        _repo.Write("nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
            {string.Join("\n", sources.Select(s => $"    <add key=\"{s.Name}\" value=\"{s.Url}\" />"))}
              </packageSources>
            </configuration>
            """);

    private void Project(string name, params (string Id, string Version)[] references) =>
        _repo.Write($"src/{name}/{name}.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{string.Concat(references.Select(r => $"<PackageReference Include=\"{r.Id}\" Version=\"{r.Version}\" />"))}</ItemGroup></Project>");

    private Task<DependencyScanResult> ScanAsync(DependencyPolicy? policy = null, TimeSpan? ttl = null, bool withReleaseInfo = false) =>
        new DependencyScanner(new FeedHttpOptions(_cache, ttl ?? TimeSpan.FromMinutes(30), RetryDelay: TimeSpan.FromMilliseconds(10), MaxRetries: 2), TimeProvider.System)
            .ScanAsync(_repo.Root, policy ?? DependencyPolicy.Default, withReleaseInfo, CancellationToken.None);
}
