using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ExecutionLoops.MSBuild;

/// <summary>
/// Runs the packaged <c>loops</c> program with the dotnet host that runs this build. Its canonical
/// output (<c>path(line,col): error EL1004: …</c>) becomes real MSBuild errors and warnings with their
/// codes, files and lines; everything else is shown at high importance (the pair dashboard).
/// </summary>
public sealed class LoopsTool : ToolTask
{
    /// <summary>Path of loops.dll inside the package.</summary>
    [Required]
    public string LoopsPath { get; set; } = "";

    /// <summary>The loops command line after the program, e.g. <c>pair status --goal "…"</c>.</summary>
    [Required]
    public string Arguments { get; set; } = "";

    /// <summary>The repository (working directory).</summary>
    [Required]
    public string Repository { get; set; } = "";

    /// <inheritdoc />
    protected override string ToolName => "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    /// <inheritdoc />
    protected override string GenerateFullPathToTool()
    {
        // The SDK tells tasks which dotnet host runs the build; fall back to PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host! : ToolName;
    }

    /// <inheritdoc />
    protected override string GetWorkingDirectory() => Repository;

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands() => $"\"{LoopsPath}\" {Arguments} --no-color";

    /// <inheritdoc />
    protected override bool HandleTaskExecutionErrors() =>
        // loops has already reported its EL diagnostics as errors; MSB6006 on top would only repeat them.
        Log.HasLoggedErrors ? false : base.HandleTaskExecutionErrors();
}
