using ExecutionLoops.Isolation;

namespace ExecutionLoops.Core.Tests.Isolation;

public sealed class NuGetSourceIndexesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-nuget-seed-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Seed_CopiesIndexesAndVulnerabilityData_WithTheirTimeStamps_AndNothingElse()
    {
        var user = Path.Combine(_root, "user");
        var source = Directory.CreateDirectory(Path.Combine(user, "0123abcd$ps:_feed.example_v3_index.json")).FullName;
        var stamp = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
        foreach (var name in new[] { "service_index.dat", "vuln_index.dat", "vuln_data_base.dat", "list_private.package.dat", "nupkg_private.package.1.0.0.dat" })
        {
            File.WriteAllText(Path.Combine(source, name), name);
            File.SetLastWriteTimeUtc(Path.Combine(source, name), stamp);
        }

        var sandbox = Path.Combine(_root, "sandbox");
        NuGetSourceIndexes.Seed(user, sandbox);

        var copied = Path.Combine(sandbox, Path.GetFileName(source));
        Directory.GetFiles(copied).Select(Path.GetFileName).Order().ShouldBe(["service_index.dat", "vuln_data_base.dat", "vuln_index.dat"]);
        File.ReadAllText(Path.Combine(copied, "service_index.dat")).ShouldBe("service_index.dat");
        File.GetLastWriteTimeUtc(Path.Combine(copied, "vuln_index.dat")).ShouldBe(stamp);

        // Copies, not links: what the sandbox writes stays in the sandbox.
        File.WriteAllText(Path.Combine(copied, "service_index.dat"), "poisoned");
        File.ReadAllText(Path.Combine(source, "service_index.dat")).ShouldBe("service_index.dat");
    }

    [Fact]
    public void Seed_WithoutAUserCache_LeavesTheSandboxCacheEmpty()
    {
        var sandbox = Directory.CreateDirectory(Path.Combine(_root, "sandbox")).FullName;

        NuGetSourceIndexes.Seed(Path.Combine(_root, "missing"), sandbox);

        Directory.EnumerateFileSystemEntries(sandbox).ShouldBeEmpty();
    }
}
