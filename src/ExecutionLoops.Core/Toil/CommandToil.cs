using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: command</c>: runs the brief's commands in order in the worktree through the shell. Each has
/// its own timeout (or what is left of the mission's); a hung command has its whole process tree killed.
/// </summary>
internal sealed class CommandToil : IToil
{
    /// <inheritdoc />
    public string Kind => "command";

    /// <inheritdoc />
    public string Summary => "Runs the commands of its brief in the worktree.";

    /// <inheritdoc />
    public BriefSection Section => CommandsSection.Instance;

    /// <inheritdoc />
    public bool IsRoutine => true;

    /// <inheritdoc />
    public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var deadline = context.Clock.GetUtcNow() + context.Timeout;
        var feedbackFile = WriteFeedback(context);
        var environment = new Dictionary<string, string?>
        {
            ["LOOPS_MISSION_ID"] = context.Brief.Id,
            ["LOOPS_WORKTREE"] = context.WorktreePath,
            ["LOOPS_FEEDBACK_FILE"] = feedbackFile,
        };
        var tails = new List<string>();
        try
        {
            foreach (var command in context.Brief.SettingsOf<CommandSettings>().Commands)
            {
                var remaining = deadline - context.Clock.GetUtcNow();
                var timeout = command.Timeout is { } own && own < remaining ? own : remaining;
                var spec = ProcessSpec.Shell(command.Run, context.WorktreePath) with { Environment = environment, Timeout = timeout, OnOutputLine = context.Log.Write };
                context.Log.Write($"$ {command.Run}");
                var result = await context.Processes.RunAsync(spec, cancellationToken);
                tails.Add(result.Tail(10));
                if (result.TimedOut)
                {
                    return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilTimedOut, $"'{command.Run}' did not finish within {DurationParser.Format(timeout)}; its process tree was killed.", context.Brief.RelativePath, hint: "Raise the command's timeout or constraints.timeout, or fix what hangs."), result.Tail());
                }

                if (!result.Succeeded)
                {
                    return ToilResult.Failure(Diagnostic.Error(DiagnosticCodes.ToilFailed, $"'{command.Run}' failed with exit code {result.ExitCode}.", context.Brief.RelativePath, hint: "The last lines of its output are shown below; the full log is in the run folder."), result.Tail());
                }
            }
        }
        finally
        {
            if (feedbackFile is not null)
            {
                File.Delete(feedbackFile);
            }
        }

        return ToilResult.Success($"ran {context.Brief.SettingsOf<CommandSettings>().Commands.Count} command(s)", string.Join('\n', tails).Trim());
    }

    /// <summary>Reviewer feedback reaches commands as a file, so any tool (or agent) can read it.</summary>
    private static string? WriteFeedback(ToilContext context)
    {
        if (context.Feedback.Count == 0)
        {
            return null;
        }

        var path = Path.Combine(Path.GetTempPath(), $"loops-feedback-{context.Brief.Id}-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, string.Join("\n\n", context.Feedback.Select(f => $"{f.Author} ({f.At:u}):\n{f.Text}")) + "\n");
        return path;
    }
}
