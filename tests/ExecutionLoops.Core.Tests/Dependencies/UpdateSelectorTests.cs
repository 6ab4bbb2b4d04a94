using ExecutionLoops.Dependencies;
using ExecutionLoops.Dependencies.Feeds;
using Microsoft.Extensions.Time.Testing;
using NuGet.Versioning;

namespace ExecutionLoops.Core.Tests.Dependencies;

public sealed class UpdateSelectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("patch", "1.2.5")]
    [InlineData("patch,minor", "1.4.0")]
    [InlineData("patch,minor,major", "2.0.0")]
    [InlineData("major", "2.0.0")]
    public async Task UpdateTypes_PickTheNewestAllowedStep(string types, string expected)
    {
        var policy = DependencyPolicy.Default with { UpdateTypes = types.Split(',').Select(t => Enum.Parse<UpdateType>(t, ignoreCase: true)).ToHashSet() };

        var finding = await SelectAsync(policy, "1.2.3", ["1.2.3", "1.2.4", "1.2.5", "1.3.0", "1.4.0", "2.0.0", "2.1.0-beta.1"]);

        finding.Candidate!.ToNormalizedString().ShouldBe(expected);
    }

    [Fact]
    public async Task MajorNotAllowed_SaysWhatWasLeft()
    {
        var finding = await SelectAsync(DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType> { UpdateType.Patch } }, "1.2.3", ["1.2.3", "2.0.0"]);

        finding.Candidate.ShouldBeNull();
        finding.Reason.ShouldBe("2.0.0 is available, but a major update is not allowed by policy");
    }

    [Theory]
    [InlineData("1.0.0", PrereleasePolicy.IfCurrent, "1.1.0")]
    [InlineData("2.0.0-beta.1", PrereleasePolicy.IfCurrent, "2.0.0-rc.1")]
    [InlineData("1.0.0", PrereleasePolicy.Always, "2.1.0-alpha")]
    [InlineData("2.0.0-beta.1", PrereleasePolicy.Never, null)]
    public async Task Prereleases_FollowThePolicy(string current, PrereleasePolicy prerelease, string? expected)
    {
        var finding = await SelectAsync(DependencyPolicy.Default with { Prerelease = prerelease }, current, ["1.0.0", "1.1.0", "2.0.0-beta.1", "2.0.0-rc.1", "2.1.0-alpha"]);

        finding.Candidate?.ToNormalizedString().ShouldBe(expected);
        if (expected is null)
        {
            finding.Candidate.ShouldBeNull();
        }
    }

    [Fact]
    public async Task UnlistedDeprecatedAndTooYoungVersions_AreSkipped_WithTheReason()
    {
        var details = new Dictionary<string, PackageDetails>
        {
            ["1.4.0"] = new(true, Now.AddDays(-1), null, null),
            ["1.3.0"] = new(true, Now.AddDays(-40), "Legacy: use Other", null),
            ["1.2.0"] = new(false, null, null, null),
            ["1.1.0"] = new(true, Now.AddDays(-60), null, null),
        };
        var policy = DependencyPolicy.Default with { MinReleaseAge = TimeSpan.FromDays(7) };

        var finding = await SelectAsync(policy, "1.0.0", ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"], details);

        finding.Candidate!.ToNormalizedString().ShouldBe("1.1.0");
        finding.Reason.ShouldContain("1.4.0 was published 2026-11-23, within the 7d cooldown");
        finding.Reason.ShouldContain("1.3.0 is deprecated (Legacy: use Other)");
        finding.Reason.ShouldContain("1.2.0 is unlisted");
    }

    [Fact]
    public async Task VulnerableFirst_TakesTheLowestSafeVersion_EvenWhenUpdatesAreNotAllowed()
    {
        var policy = DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType>(), Exclude = ["Newtonsoft.*"], MinReleaseAge = TimeSpan.FromDays(30) };
        var advisories = new[] { new Advisory("https://github.com/advisories/GHSA-1", 3, VersionRange.Parse("[, 12.0.3)")) };

        var finding = await SelectAsync(policy, "12.0.1", ["12.0.1", "12.0.2", "12.0.3", "13.0.1"], advisories: advisories, id: "Newtonsoft.Json");

        finding.Candidate!.ToNormalizedString().ShouldBe("12.0.3");
        finding.Security.ShouldBeTrue();
        finding.Reason.ShouldStartWith("security: vulnerable (critical https://github.com/advisories/GHSA-1)");
    }

    [Fact]
    public async Task VulnerableWithoutASafeVersion_IsUnsatisfiable()
    {
        var advisories = new[] { new Advisory("https://x/GHSA-2", 2, VersionRange.Parse("[1.0.0, )")) };

        var finding = await SelectAsync(DependencyPolicy.Default, "1.0.0", ["1.0.0", "1.1.0"], advisories: advisories);

        finding.Candidate.ShouldBeNull();
        finding.Unsatisfiable.ShouldBeTrue();
        finding.Reason.ShouldContain("no non-vulnerable newer version");
    }

    [Fact]
    public async Task PinAndIgnoreRules_HoldAndSkipVersions()
    {
        var policy = DependencyPolicy.Default with
        {
            Pin = [new PackageRule("Serilog*", VersionRange.Parse("[3.0.0, 4.0.0)")), new PackageRule("Polly", null)],
            Ignore = [new PackageRule("Serilog", VersionRange.Parse("[3.1.1]"))],
        };

        (await SelectAsync(policy, "3.0.0", ["3.0.0", "3.1.0", "3.1.1", "4.0.0"], id: "Serilog")).Candidate!.ToNormalizedString().ShouldBe("3.1.0");
        (await SelectAsync(policy, "7.0.0", ["7.0.0", "8.0.0"], id: "Polly")).Reason.ShouldBe("pinned at 7.0.0 by policy");
        var unsatisfiable = await SelectAsync(policy with { Pin = [new PackageRule("Serilog", VersionRange.Parse("[5.0.0, 6.0.0)"))] }, "3.0.0", ["3.0.0", "4.0.0"], id: "Serilog");
        unsatisfiable.Unsatisfiable.ShouldBeTrue();
    }

    [Theory]
    [InlineData("1.*")]
    [InlineData("[1.0.0, 2.0.0)")]
    public async Task FloatingVersionsAndRanges_AreLeftAsWritten(string written)
    {
        var finding = await SelectAsync(DependencyPolicy.Default, written, ["1.0.0", "1.5.0"]);

        finding.Candidate.ShouldBeNull();
        finding.Reason.ShouldContain(written);
    }

    [Theory]
    [InlineData("10.5.1", "10.5.2")] // not on the sources: restore takes the lowest higher one (NU1603)
    [InlineData("10.5.0", "10.5.0")]
    [InlineData("[10.0, 11.0)", "10.5.0")] // a range: the lowest in it
    [InlineData("10.*", "10.6.0")] // floating: the newest match
    [InlineData("10.6.*-*", "10.6.1-beta.2")] // floating with pre-releases
    [InlineData("[10.5.2]", "10.5.2")] // exact
    [InlineData("12.0.0", null)] // nothing at or above it: restore fails (NU1102)
    public async Task Resolved_IsTheVersionRestoreTakes(string written, string? resolved)
    {
        var finding = await SelectAsync(DependencyPolicy.Default, written, ["10.5.0", "10.5.2", "10.6.0", "10.6.1-beta.2", "11.0.0"]);

        finding.Resolved?.ToNormalizedString().ShouldBe(resolved);
        if (resolved is null)
        {
            finding.Reason.ShouldContain("NU1102");
        }
    }

    [Fact]
    public async Task UpdateDecisions_StartFromTheResolvedVersion_AndEachLineIsOffered()
    {
        var patchOnly = DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType> { UpdateType.Patch } };

        var finding = await SelectAsync(patchOnly, "10.0.7", ["10.0.8", "10.0.15", "10.1.0", "10.2.0-preview.1", "11.0.0"]);

        finding.Resolved!.ToNormalizedString().ShouldBe("10.0.8");
        finding.Candidate!.ToNormalizedString().ShouldBe("10.0.15");
        finding.Type.ShouldBe(UpdateType.Patch);
        finding.Reason.ShouldContain("10.0.7 is not on the sources; restore takes 10.0.8 (NU1603)");
        finding.Lines.ToString().ShouldBe("patch 10.0.15, minor 10.1.0, major 11.0.0");
        var current = await SelectAsync(patchOnly, "10.0.15", ["10.0.8", "10.0.15"]);
        current.Lines.ShouldBe(UpdateLines.None);
        current.Reason.ShouldBe("up to date");
    }

    [Fact]
    public async Task AVulnerableResolvedVersion_MovesToTheLowestSafeVersion_EvenWhenTheWrittenOneIsMissing()
    {
        Advisory[] advisories = [new("https://github.com/advisories/GHSA-test", 3, VersionRange.Parse("[2.0.0, 2.0.3)"))];

        var finding = await SelectAsync(DependencyPolicy.Default with { UpdateTypes = new HashSet<UpdateType>() }, "2.0.1", ["2.0.0", "2.0.2", "2.0.3", "2.0.4", "3.0.0"], advisories: advisories);

        finding.Resolved!.ToNormalizedString().ShouldBe("2.0.2");
        finding.Candidate!.ToNormalizedString().ShouldBe("2.0.3");
        finding.Security.ShouldBeTrue();
        finding.Reason.ShouldStartWith("security: vulnerable (critical https://github.com/advisories/GHSA-test); 2.0.3 is the lowest safe version");
    }

    [Fact]
    public async Task ConditionedPins_KeepTheirMajorLine_WhenThePolicySaysSo()
    {
        var policy = DependencyPolicy.Default with { ConditionedSitesKeepMajor = true };
        string[] versions = ["8.0.0", "8.0.3", "9.0.0", "10.0.1"];

        var net8 = await SelectAsync(policy, "8.0.0", versions, condition: "'$(TargetFramework)' == 'net8.0'");
        var unconditioned = await SelectAsync(policy, "8.0.0", versions);
        var onlyMajor = await SelectAsync(policy, "8.0.3", versions, condition: "'$(TargetFramework)' == 'net8.0'");

        net8.Candidate!.ToNormalizedString().ShouldBe("8.0.3");
        unconditioned.Candidate!.ToNormalizedString().ShouldBe("10.0.1");
        onlyMajor.Candidate.ShouldBeNull();
        onlyMajor.Reason.ShouldBe("10.0.1 is available, but a conditioned site keeps its major line (8.x) by policy");
    }

    [Theory]
    [InlineData("Microsoft.Extensions.*", "Microsoft.Extensions.Logging", true)]
    [InlineData("Microsoft.Extensions.*", "microsoft.extensions.http", true)]
    [InlineData("*.Abstractions", "Microsoft.Extensions.Logging.Abstractions", true)]
    [InlineData("xunit*", "Shouldly", false)]
    [InlineData("Polly", "Polly.Core", false)]
    public void Patterns_MatchIdsCaseInsensitively(string pattern, string id, bool matches) => PackagePattern.Matches(pattern, id).ShouldBe(matches);

    private static Task<DependencyFinding> SelectAsync(DependencyPolicy policy, string current, string[] available, Dictionary<string, PackageDetails>? details = null, Advisory[]? advisories = null, string id = "Some.Package", string? condition = null)
    {
        var dependency = new Dependency(id, DependencyKind.PackageReference, new VersionSite("a.csproj", 1, 1, 0, current) { Condition = condition }, ["a.csproj"]);
        var selector = new UpdateSelector(policy, new FakeTimeProvider(Now));
        return selector.SelectAsync(dependency, available.Select(NuGetVersion.Parse).ToList(), advisories ?? [], (v, _) => Task.FromResult(details?.GetValueOrDefault(v.ToNormalizedString()) ?? new PackageDetails(true, Now.AddDays(-100), null, null)), CancellationToken.None);
    }
}
