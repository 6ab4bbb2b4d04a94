using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ExecutionLoops.Serving;

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

    /// <summary>
    /// Whether pair commands go to the warm pair server (<c>loops pair serve</c>): <c>true</c>, <c>false</c>, or empty
    /// for LOOPS_PAIR_SERVER, else MSBuild's own node-reuse policy (no server with MSBUILDDISABLENODEREUSE=1 or in CI).
    /// The LoopsPairServer property.
    /// </summary>
    public string PairServer { get; set; } = "";

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
    public override bool Execute()
    {
        if (CompilerLogs.Length > 0 && !string.IsNullOrEmpty(MergedCompilerLog) && !new CompilerLogMerger(Log).Merge(CompilerLogs, MergedCompilerLog))
        {
            return false;
        }

        // What the program would receive as its arguments, split as the runtime splits the command line below.
        var arguments = PairServerProtocol.SplitCommandLine($"{Arguments} --no-color");
        if (!PairServerProtocol.IsServed(arguments))
        {
            return base.Execute();
        }

        // The task decides about the server for its calls: the program it runs instead must not start one as well.
        EnvironmentVariables = [.. EnvironmentVariables ?? [], PairServerProtocol.ServerVariable + "=false"];
        var setting = string.IsNullOrEmpty(PairServer) ? Environment.GetEnvironmentVariable(PairServerProtocol.ServerVariable) ?? "" : PairServer;
        if (!PairServerClient.Allowed(setting, out var policy))
        {
            Log.LogMessage(MessageImportance.Low, $"ExecutionLoops: no pair server: {policy}.");
            return base.Execute();
        }

        var client = new PairServerClient(LoopsPath, Repository);
        if (RunInServer(client, arguments) is { } served)
        {
            return served;
        }

        var result = base.Execute();
        // Started after the call, not beside it: on a small machine its start-up would slow this call down.
        var started = client.TryStart(GenerateFullPathToTool(), out var how);
        Log.LogMessage(MessageImportance.Normal, started ? $"ExecutionLoops: started the pair server for {client.Root} ({how}) for the next call." : $"ExecutionLoops: the pair server could not be started: {how}");
        return result;
    }

    /// <summary>The task's result when the server answered in full; null when the program must run instead.</summary>
    private bool? RunInServer(PairServerClient client, IReadOnlyList<string> arguments)
    {
        var exitCode = client.TryRun(arguments, Repository, (line, error) => LogEventsFromTextOutput(line, error ? StandardErrorLoggingImportance : StandardOutputLoggingImportance), out var why);
        if (exitCode is not { } code)
        {
            Log.LogMessage(MessageImportance.Low, $"ExecutionLoops: running loops itself: {why}.");
            return null;
        }

        // The marker the tests and a curious developer look for (-v:n); the program's own command line is logged the same way.
        Log.LogMessage(MessageImportance.Normal, $"ExecutionLoops: served by the pair server (pid {client.ServerProcessId}): loops {Arguments}");
        if (code == 0)
        {
            return !Log.HasLoggedErrors;
        }

        if (!Log.HasLoggedErrors)
        {
            // As ToolTask's MSB6006 does for the program: a failure without an error of its own still fails the build.
            Log.LogError($"ExecutionLoops: loops exited with code {code}.");
        }

        return false;
    }

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
