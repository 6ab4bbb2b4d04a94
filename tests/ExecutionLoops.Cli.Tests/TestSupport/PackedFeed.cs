using System.Diagnostics;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// The real ExecutionLoops.MSBuild package, packed once per test run into a temp folder feed with a
/// unique version, restored into a private packages folder so no stale cache can answer for it.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Root = Directory.CreateTempSubdirectory("loops-feed-").FullName;
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var repository = ExecutionLoops.Core.Tests.TestSupport.TempGitRepo.SourceRoot();
        // Without the ReadyToRun publish: its platform-specific restore rewrites the tool's assets file while other test
        // assemblies build the tool, and it leaves no plain Release build for the test that packs the tool itself.
        var pack = Run(repository, "dotnet", "pack", Path.Combine(repository, "src", "ExecutionLoops.MSBuild"), "-o", Feed, $"-p:PackageVersion={Version}", "-p:LoopsToolReadyToRun=false", "-nologo");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{pack.Output}");
        }
    }

    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Packages => Path.Combine(Root, "packages");

    public string Version { get; }

    /// <summary>Writes a project that references the package, and a nuget.config that adds the feed.</summary>
    public void WriteProject(string directory, string code)
    {
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="loops-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RestorePackagesPath>{Packages}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ExecutionLoops.MSBuild" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Calc.cs"), code);
    }

    /// <summary>The loops.dll the package restored into <see cref="Packages"/> runs (what the targets' task starts).</summary>
    public string LoopsDll => Path.Combine(Packages, "executionloops.msbuild", Version.ToLowerInvariant(), "tools", "net10.0", "loops.dll");

    public static (int ExitCode, string Output) Run(string directory, string file, params string[] arguments) =>
        Run(directory, new Dictionary<string, string>(), file, arguments);

    /// <summary>Runs a program with <paramref name="environment"/> over the defaults below (which it may change).</summary>
    public static (int ExitCode, string Output) Run(string directory, IReadOnlyDictionary<string, string> environment, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Node reuse would keep build servers alive after the test, holding the temp folders.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
