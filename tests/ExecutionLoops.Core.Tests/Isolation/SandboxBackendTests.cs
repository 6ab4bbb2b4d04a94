using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Core.Tests.Isolation;

public sealed class SandboxBackendTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-sandbox-args-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Bubblewrap_HidesThenShowsThenLocks_InThatOrder_AndCutsTheNetworkWhenAsked()
    {
        var policy = Policy();
        var spec = new ProcessSpec("dotnet", ["test", "--no-build"], Path.Combine(_root, "clone")) { Network = false };

        var wrapped = new BubblewrapBackend().Wrap(spec, policy, new Dictionary<string, string> { ["HOME"] = "/sandbox/home" });
        var args = wrapped.Arguments.ToList();

        wrapped.FileName.ShouldBe("bwrap");
        args.ShouldContain("--unshare-net");
        args.ShouldContain("--unshare-pid");
        args.ShouldContain("--clearenv");
        var hidden = args.IndexOf("--tmpfs");
        var writable = args.IndexOf(Path.Combine(_root, "clone"));
        var locked = args.LastIndexOf(Path.Combine(_root, "clone", ".git"));
        var remount = args.IndexOf("--remount-ro");
        (hidden < writable && writable < locked && locked < remount).ShouldBeTrue(string.Join(' ', args));
        args[args.IndexOf("--setenv") + 1].ShouldBe("HOME");
        args[^3..].ShouldBe(["dotnet", "test", "--no-build"]);
        wrapped.Environment.ShouldBeEmpty();
    }

    [Fact]
    public void Bubblewrap_SharesTheNetwork_ForTheAgentAndRestore()
    {
        var wrapped = new BubblewrapBackend().Wrap(new ProcessSpec("claude", ["-p"], _root), Policy(), new Dictionary<string, string>());

        wrapped.Arguments.ShouldNotContain("--unshare-net");
    }

    [Fact]
    public void Container_MountsOnlyTheCloneAndScratch_DropsCapabilities_AndUsesTheImagesPath()
    {
        var spec = new ProcessSpec("dotnet", ["build"], Path.Combine(_root, "clone")) { Network = false };

        var wrapped = new ContainerBackend("podman").Wrap(spec, Policy() with { Image = "registry.invalid/sdk:10" }, new Dictionary<string, string> { ["PATH"] = "/host/bin", ["HOME"] = "/h" });
        var args = string.Join(' ', wrapped.Arguments);

        wrapped.FileName.ShouldBe("podman");
        args.ShouldContain("--network none");
        args.ShouldContain("--cap-drop ALL");
        args.ShouldContain("--security-opt no-new-privileges");
        args.ShouldContain($"--volume {_root}/clone:{_root}/clone:rw");
        args.ShouldContain($"--volume {_root}/clone/.git:{_root}/clone/.git:ro");
        args.ShouldContain("--env HOME=/h");
        args.ShouldNotContain("PATH=/host/bin");
        args.ShouldEndWith("registry.invalid/sdk:10 dotnet build");
    }

    [Fact]
    public void ChildEnvironment_DropsSecrets_KeepsWhatProgramsNeed_AndInheritsOnlyWhatASpecNames()
    {
        Environment.SetEnvironmentVariable("LOOPS_TEST_SERVICE_TOKEN", "secret-value");
        Environment.SetEnvironmentVariable("LOOPS_TEST_PLAIN", "plain");
        try
        {
            var child = ChildEnvironment.For(new ProcessSpec("x", [], _root) { Inherit = ["LOOPS_TEST_PL*"] });

            child["LOOPS_TEST_SERVICE_TOKEN"].ShouldBeNull();
            child.ContainsKey("LOOPS_TEST_PLAIN").ShouldBeFalse();
            child.ContainsKey("PATH").ShouldBeFalse();
            ChildEnvironment.IsAllowed("PATH").ShouldBeTrue();
            ChildEnvironment.IsAllowed("DOTNET_ROOT").ShouldBeTrue();
            ChildEnvironment.IsAllowed("NUGET_API_KEY").ShouldBeFalse();
            ChildEnvironment.IsAllowed("GITHUB_TOKEN").ShouldBeFalse();
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOOPS_TEST_SERVICE_TOKEN", null);
            Environment.SetEnvironmentVariable("LOOPS_TEST_PLAIN", null);
        }
    }

    private SandboxPolicy Policy()
    {
        var clone = Path.Combine(_root, "clone");
        Directory.CreateDirectory(Path.Combine(clone, ".git"));
        Directory.CreateDirectory(Path.Combine(_root, "user"));
        return new SandboxPolicy([clone, clone + ".sandbox"], [Path.Combine(_root, "user")], [], [Path.Combine(clone, ".git")], new Dictionary<string, string>());
    }
}
