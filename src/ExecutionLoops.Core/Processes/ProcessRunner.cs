using System.ComponentModel;
using System.Text;
using CliWrap;

namespace ExecutionLoops.Processes;

/// <summary>
/// Starts external programs (git, dotnet, user commands) through CliWrap, capturing output and
/// killing the entire process tree on time-out or cancellation, so a hung toil leaves nothing behind.
/// Every child starts from <see cref="ChildEnvironment"/>'s allowlist, never from this process's whole environment.
/// </summary>
/// <param name="clock">Times the processes (default: the system clock).</param>
public class ProcessRunner(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Runs the process to completion. Non-zero exit codes are returned, not thrown.</summary>
    /// <exception cref="ToolNotFoundException">The program is not installed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled (not a time-out).</exception>
    public virtual async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithWorkingDirectory(spec.WorkingDirectory)
            .WithEnvironmentVariables(ChildEnvironment.For(spec))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(Target(stdout, spec.OnOutputLine))
            .WithStandardErrorPipe(Target(stderr, spec.OnOutputLine));
        if (spec.StandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(spec.StandardInput));
        }

        var stopwatch = new ClockStopwatch(_clock);
        try
        {
            // The time limit is a forceful cancellation: CliWrap kills the process and its whole tree.
            var result = await command.ExecuteAsync(timeout.Token, CancellationToken.None);
            return new ProcessResult(result.ExitCode, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own time limit fired: CliWrap has killed the process tree.
            stderr.AppendLine($"loops: killed after {spec.Timeout:c} (time limit).");
            return new ProcessResult(-1, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed, true);
        }
        catch (Win32Exception ex)
        {
            throw new ToolNotFoundException(spec.FileName, ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is Win32Exception)
        {
            throw new ToolNotFoundException(spec.FileName, ex);
        }
    }

    /// <summary>Keeps the exact bytes (git -z output has no newlines) and, when asked, streams lines too.</summary>
    private static PipeTarget Target(StringBuilder buffer, Action<string>? onLine) =>
        onLine is null ? PipeTarget.ToStringBuilder(buffer, Encoding.UTF8) : PipeTarget.Merge(PipeTarget.ToStringBuilder(buffer, Encoding.UTF8), PipeTarget.ToDelegate(onLine, Encoding.UTF8));
}
