// This repository's own build: dotnet tool restore && dotnet cake build/build.cake --target=<target>
//   Clean       remove artifacts/ and the build outputs
//   Build       build the solution
//   Test        dotnet test, with the totals line .ci/run prints
//   Lint        lint .loops/missions/ through the Cake addin (dogfooding: Cake.ExecutionLoops's LoopsLint)
//   Pack        the dotnet tool, the MSBuild package, the Cake addin (artifacts/packages/) and, when
//               src/ExecutionLoops.AzureDevOps.Task exists, the Azure DevOps extension (artifacts/*.vsix)
//   Benchmarks  run build/bench-*.sh (or --bench=<name>) and print their ratios
//   CI          Build, Lint, Test, Pack: what a CI job runs after preparing the machine (.ci/run does that part)
// Options: --configuration=Release|Debug (default Release), --package-version=<version> (default: the projects').
// Cake runs this script with build/ as its working directory; paths below are relative to the repository root.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var packageVersion = Argument<string>("package-version", null);
var root = MakeAbsolute(Directory(".."));
var solution = root.CombineWithFilePath("ExecutionLoops.sln");
var artifacts = root.Combine("artifacts");
var packages = artifacts.Combine("packages");
var packed = new[] { "src/ExecutionLoops.Cli", "src/ExecutionLoops.MSBuild", "src/Cake.ExecutionLoops" };

DotNetMSBuildSettings Properties()
{
    var settings = new DotNetMSBuildSettings();
    if (!string.IsNullOrEmpty(packageVersion))
    {
        settings.WithProperty("PackageVersion", packageVersion);
    }

    return settings;
}

// Runs a program, echoing its output, and returns the exit code with the lines (for the totals and the ratios).
(int ExitCode, List<string> Lines) Run(string program, string arguments, DirectoryPath workingDirectory)
{
    var lines = new List<string>();
    var settings = new ProcessSettings
    {
        Arguments = arguments,
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        RedirectedStandardOutputHandler = line => { if (line != null) { lock (lines) lines.Add(line); Console.WriteLine(line); } return line; },
        RedirectedStandardErrorHandler = line => { if (line != null) { lock (lines) lines.Add(line); Console.Error.WriteLine(line); } return line; },
    };
    using var process = StartAndReturnProcess(program, settings);
    process.WaitForExit();
    return (process.GetExitCode(), lines);
}

Task("Clean")
    .Does(() =>
{
    CleanDirectory(artifacts);
    DotNetClean(solution.FullPath, new DotNetCleanSettings { Configuration = configuration });
});

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .Does(() =>
{
    // The README's command, in the chosen configuration, and one closing line with the totals of every test project.
    var (exitCode, lines) = Run("dotnet", $"test \"{solution.FullPath}\" -c {configuration} --logger \"console;verbosity=normal\"", root);
    int Sum(string label) => lines
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, $@"^ +{label}: +(\d+)"))
        .Where(m => m.Success)
        .Sum(m => int.Parse(m.Groups[1].Value));
    Information($"{Sum("Passed")} passed, {Sum("Failed")} failed");
    if (exitCode != 0)
    {
        throw new CakeException(exitCode, "dotnet test failed.");
    }
});

Task("Lint")
    .Does(() =>
{
    // The addin and the loops program it runs, built in Release where build/lint.cake references them; lint.cake
    // is a separate Cake run because #r needs the addin before the script compiles.
    foreach (var project in new[] { "src/ExecutionLoops.Cli", "src/Cake.ExecutionLoops" })
    {
        DotNetBuild(root.Combine(project).FullPath, new DotNetBuildSettings { Configuration = "Release" });
    }

    var loops = root.CombineWithFilePath("src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll");
    var (exitCode, _) = Run("dotnet", $"cake \"{root.CombineWithFilePath("build/lint.cake").FullPath}\" --loops=\"{loops.FullPath}\"", root);
    if (exitCode != 0)
    {
        throw new CakeException(exitCode, "The mission briefs in .loops/missions/ have errors (see above).");
    }
});

Task("Pack")
    .Does(() =>
{
    CleanDirectory(packages);
    foreach (var project in packed)
    {
        DotNetPack(root.Combine(project).FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = packages,
            MSBuildSettings = Properties(),
        });
    }

    // The Azure DevOps extension is packed by its own npm script, which writes artifacts/*.vsix.
    var azure = root.Combine("src/ExecutionLoops.AzureDevOps.Task");
    if (DirectoryExists(azure))
    {
        foreach (var step in new[] { "ci", "run package" })
        {
            var (exitCode, _) = Run("npm", step, azure);
            if (exitCode != 0)
            {
                throw new CakeException(exitCode, $"npm {step} failed in {azure}.");
            }
        }
    }
    else
    {
        Information("No src/ExecutionLoops.AzureDevOps.Task: no .vsix to pack.");
    }

    foreach (var file in GetFiles($"{packages}/*.nupkg").Concat(GetFiles($"{artifacts}/*.vsix")).OrderBy(f => f.FullPath))
    {
        Information($"packed: {root.GetRelativePath(file)}");
    }
});

Task("Benchmarks")
    .Does(() =>
{
    // Long: each script builds and runs real missions. --bench=lint runs build/bench-lint.sh alone.
    var only = Argument<string>("bench", null);
    var ratios = new List<string>();
    foreach (var script in GetFiles($"{root}/build/bench-*.sh").OrderBy(f => f.FullPath))
    {
        var name = script.GetFilenameWithoutExtension().ToString().Substring("bench-".Length);
        if (only != null && only != name)
        {
            continue;
        }

        Information($"== {script.GetFilename()}");
        var (exitCode, lines) = Run("bash", $"\"{script.FullPath}\"", root);
        ratios.AddRange(lines
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "ratio|speed-up|overhead|target|median", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Select(l => $"{name}: {l.Trim()}"));
        if (exitCode != 0)
        {
            ratios.Add($"{name}: exited with {exitCode}");
        }
    }

    Information("== ratios");
    foreach (var line in ratios)
    {
        Information(line);
    }
});

Task("CI")
    .IsDependentOn("Build")
    .IsDependentOn("Lint")
    .IsDependentOn("Test")
    .IsDependentOn("Pack");

RunTarget(target);
