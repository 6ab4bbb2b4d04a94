using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
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

    /// <summary>
    /// The compilers' SARIF 2.1 logs of the build the Pair target just ran (one per project, or per target
    /// framework); they are merged into <see cref="MergedCompilerLog"/> before the program runs, so one
    /// <c>--compiler-log</c> carries the diagnostics of every project of a solution.
    /// </summary>
    public ITaskItem[] CompilerLogs { get; set; } = [];

    /// <summary>Where the merged log of <see cref="CompilerLogs"/> is written.</summary>
    public string MergedCompilerLog { get; set; } = "";

    /// <inheritdoc />
    protected override string ToolName => "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    /// <inheritdoc />
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        // The phase trace (LOOPS_TRACE=1) goes to standard error; shown as the dashboard is, not as a low-importance line.
        base.LogEventsFromTextOutput(singleLine, singleLine.StartsWith("loops-trace: ", StringComparison.Ordinal) ? MessageImportance.High : messageImportance);
    }

    /// <inheritdoc />
    public override bool Execute() =>
        (CompilerLogs.Length == 0 || string.IsNullOrEmpty(MergedCompilerLog) || WriteMergedCompilerLog()) && base.Execute();

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

    private bool WriteMergedCompilerLog()
    {
        var runs = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var log in CompilerLogs)
        {
            var path = log.GetMetadata("FullPath");
            if (!seen.Add(path))
            {
                continue;
            }

            try
            {
                if (SarifRuns.Of(File.ReadAllText(path)) is { Length: > 0 } found)
                {
                    runs.Add(found);
                }
                else
                {
                    Log.LogMessage(MessageImportance.Low, $"ExecutionLoops: no SARIF runs in {path}; left out.");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.LogMessage(MessageImportance.Low, $"ExecutionLoops: {path} could not be read ({exception.Message}); left out.");
            }
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(MergedCompilerLog))!);
            File.WriteAllText(MergedCompilerLog, "{\"version\":\"2.1.0\",\"runs\":[\n" + string.Join(",\n", runs) + "\n]}\n", new UTF8Encoding(false));
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogError($"ExecutionLoops: the merged compiler log {MergedCompilerLog} could not be written: {exception.Message}");
            return false;
        }
    }
}

/// <summary>
/// Finds the <c>runs</c> array of a SARIF log without a JSON library (the task assembly has no dependencies):
/// a scan that knows strings and nesting is enough to cut the array out unchanged.
/// </summary>
internal static class SarifRuns
{
    /// <summary>The text between the brackets of the top-level <c>runs</c> array, trimmed; null when there is none.</summary>
    public static string? Of(string json)
    {
        var depth = 0;
        for (var i = 0; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    var start = i;
                    i = EndOfString(json, i);
                    if (i < 0)
                    {
                        return null;
                    }

                    var next = SkipWhitespace(json, i + 1);
                    if (depth == 1 && next < json.Length && json[next] == ':' && json.Substring(start + 1, i - start - 1) == "runs")
                    {
                        var open = SkipWhitespace(json, next + 1);
                        var close = open < json.Length && json[open] == '[' ? Closing(json, open) : -1;
                        return close < 0 ? null : json.Substring(open + 1, close - open - 1).Trim();
                    }

                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    break;
            }
        }

        return null;
    }

    private static int EndOfString(string json, int quote)
    {
        for (var i = quote + 1; i < json.Length; i++)
        {
            if (json[i] == '\\')
            {
                i++;
            }
            else if (json[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static int SkipWhitespace(string json, int i)
    {
        while (i < json.Length && char.IsWhiteSpace(json[i]))
        {
            i++;
        }

        return i;
    }

    private static int Closing(string json, int open)
    {
        var depth = 0;
        for (var i = open; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    i = EndOfString(json, i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }
}
