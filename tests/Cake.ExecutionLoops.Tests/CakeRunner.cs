using System.Diagnostics;
using System.Reflection;
using ExecutionLoops.Core.Tests.TestSupport;

namespace Cake.ExecutionLoops.Tests;

public sealed record CakeResult(int ExitCode, string Output);

/// <summary>
/// The real Cake runner (<c>dotnet cake</c>, cake.tool from this repository's tool manifest) and the real addin
/// package, packed once per test run into a temp folder feed with a unique version that scripts load with #addin.
/// </summary>
public sealed class CakeAddinFeed : IDisposable
{
    public CakeAddinFeed()
    {
        Root = Directory.CreateTempSubdirectory("loops-cake-feed-").FullName;
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var restore = Run(SourceRoot, "dotnet", "tool", "restore");
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool restore failed:\n{restore.Output}");
        }

        // The configuration the test run built: packing then only publishes the loops program beside the addin.
        var configuration = typeof(CakeAddinFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var pack = Run(SourceRoot, "dotnet", "pack", Path.Combine(SourceRoot, "src", "Cake.ExecutionLoops"), "-c", configuration, "--no-restore", "-o", Feed, $"-p:PackageVersion={Version}", "-nologo");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{pack.Output}");
        }
    }

    public static string SourceRoot { get; } = TempGitRepo.SourceRoot();

    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; }

    /// <summary>The directive that loads the packed addin from the feed.</summary>
    public string AddinDirective => $"#addin nuget:{Feed}?package=Cake.ExecutionLoops&version={Version}&prerelease";

    /// <summary>Writes <paramref name="name"/> into <paramref name="directory"/> with the #addin line first, and runs it with dotnet cake.</summary>
    public CakeResult RunScript(string directory, string name, string body)
    {
        var script = Path.Combine(directory, name);
        File.WriteAllText(script, $"{AddinDirective}\n{body}");
        // The tool manifest is found from the source root; Cake's working directory is the script's folder.
        var result = Run(SourceRoot, "dotnet", "tool", "run", "dotnet-cake", "--", script, "--verbosity=normal");
        return new CakeResult(result.ExitCode, result.Output);
    }

    public static CakeResult Run(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CakeResult(process.ExitCode, output + error.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup.
        }
    }
}
