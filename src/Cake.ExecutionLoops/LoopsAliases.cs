using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;

namespace Cake.ExecutionLoops;

/// <summary>
/// <para>
/// Aliases for ExecutionLoops: run mission briefs from a Cake build, behind their
/// quality gates, and branch on typed results (missions, outcomes, gates, review items, findings).
/// </para>
/// <para>
/// Each alias runs the <c>loops</c> program packed inside this addin's package with <c>--json</c>: the engine runs
/// in its own process, so its dependencies never meet Cake's. Failures raise <see cref="CakeException"/> whose
/// message is the canonical <c>error ELxxxx</c> line and whose <see cref="LoopsCakeException.LoopsCode"/> is the EL code.
/// </para>
/// <code>
/// #addin nuget:?package=Cake.ExecutionLoops&amp;version=0.1.0
/// var run = LoopsDelegate(new LoopsDelegateSettings { Missions = { "format-code" } });
/// Information(run["format-code"]?.ReviewLocation);
/// </code>
/// </summary>
[CakeAliasCategory("ExecutionLoops")]
[CakeNamespaceImport("Cake.ExecutionLoops")]
public static class LoopsAliases
{
    /// <summary>Runs the due missions (<c>loops delegate</c>) with the default settings.</summary>
    /// <param name="context">The Cake context.</param>
    /// <returns>The run: each mission's outcome, branch, commit, gates and review item.</returns>
    /// <exception cref="CakeException">Bad briefs or config (exit 2), an infrastructure error (3), or a failed mission (EL1052).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Delegation")]
    public static LoopsRunResult LoopsDelegate(this ICakeContext context) => context.LoopsDelegate(new LoopsDelegateSettings());

    /// <summary>
    /// Runs the due (or the named) missions, each in its own worktree on <c>loops/&lt;id&gt;</c>: toil, gates, commit,
    /// review item (<c>loops delegate</c>). An interrupted earlier run is finished first.
    /// </summary>
    /// <example>
    /// <code>
    /// var run = LoopsDelegate(new LoopsDelegateSettings { Missions = { "format-code" }, FailOnMissionFailure = false });
    /// foreach (var mission in run.Missions)
    /// {
    ///     Information($"{mission.MissionId}: {mission.Outcome} {mission.ReviewLocation}");
    /// }
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Which missions, dry run, report file, lock wait, and whether a failed mission fails the build.</param>
    /// <returns>The run: each mission's outcome, branch, commit, gates and review item.</returns>
    /// <exception cref="CakeException">Bad briefs or config (exit 2), an infrastructure error (3), or a failed mission (EL1052) unless <see cref="LoopsDelegateSettings.FailOnMissionFailure"/> is false.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Delegation")]
    public static LoopsRunResult LoopsDelegate(this ICakeContext context, LoopsDelegateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("delegate").Append("--json");
            AppendMissions(arguments, settings.Missions, settings.All);
            if (settings.DryRun)
            {
                arguments.Append("--dry-run");
            }

            if (settings.Report is { } report)
            {
                arguments.Append("--report").AppendQuoted(report.MakeAbsolute(context.Environment).FullPath);
            }

            if (settings.Wait is { } wait)
            {
                arguments.Append("--wait").Append($"{(int)Math.Ceiling(wait.TotalSeconds)}s");
            }
        });
        return RunResult(invocation, settings.FailOnMissionFailure);
    }

    /// <summary>Lists every mission and whether it is due now, with the reason (<c>loops plan</c>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <returns>The plan, one entry per mission.</returns>
    /// <exception cref="CakeException">Bad briefs or config (exit 2).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Delegation")]
    public static IReadOnlyList<LoopsPlannedMission> LoopsPlan(this ICakeContext context) => context.LoopsPlan(new LoopsPlanSettings());

    /// <summary>Lists the selected missions and whether each is due now, with the reason (<c>loops plan</c>).</summary>
    /// <example>
    /// <code>
    /// var due = LoopsPlan().Where(m => m.Due).Select(m => m.Id).ToList();
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Which missions to plan.</param>
    /// <returns>The plan, one entry per mission.</returns>
    /// <exception cref="CakeException">Bad briefs or config (exit 2).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Delegation")]
    public static IReadOnlyList<LoopsPlannedMission> LoopsPlan(this ICakeContext context, LoopsPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("plan").Append("--json");
            AppendMissions(arguments, settings.Missions, settings.All);
        });
        return invocation.ExitCode == 0 ? LoopsRunner.Read<List<LoopsPlannedMission>>(invocation) : throw LoopsFailure.From(invocation);
    }

    /// <summary>Lints every brief and <c>.loops/config.yml</c> (<c>loops lint</c>); an error fails the build with its EL code.</summary>
    /// <param name="context">The Cake context.</param>
    /// <returns>The valid missions and every warning.</returns>
    /// <exception cref="CakeException">Lint found an error; <see cref="LoopsCakeException.LoopsCode"/> is the first one's EL code.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Briefs")]
    public static LoopsLintResult LoopsLint(this ICakeContext context) => context.LoopsLint(new LoopsLintSettings());

    /// <summary>Lints the given briefs (or all) and <c>.loops/config.yml</c> (<c>loops lint</c>).</summary>
    /// <example>
    /// <code>
    /// var lint = LoopsLint(new LoopsLintSettings { Paths = { ".loops/missions" } });
    /// Information($"{lint.Briefs.Count} brief(s), {lint.Warnings} warning(s)");
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Which briefs, and whether an error raises.</param>
    /// <returns>The valid missions, the counts and every diagnostic.</returns>
    /// <exception cref="CakeException">Lint found an error and <see cref="LoopsLintSettings.FailOnError"/> is true; <see cref="LoopsCakeException.LoopsCode"/> is the first error's EL code.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Briefs")]
    public static LoopsLintResult LoopsLint(this ICakeContext context, LoopsLintSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("lint").Append("--json");
            foreach (var path in settings.Paths)
            {
                arguments.AppendQuoted(new FilePath(path).MakeAbsolute(context.Environment).FullPath);
            }
        });
        if (invocation.ExitCode is not (0 or 2) || invocation.Output.Length == 0)
        {
            throw LoopsFailure.From(invocation);
        }

        var result = LoopsRunner.Read<LoopsLintResult>(invocation);
        return result.Errors > 0 && settings.FailOnError ? throw LoopsFailure.From(invocation, result.Diagnostics) : result;
    }

    /// <summary>
    /// Acts on the review comments and <c>/loops</c> commands made on a mission's review item since loops last
    /// published it (<c>loops feedback</c>): reruns the mission on the same branch, closes it, or marks it draft or ready.
    /// </summary>
    /// <example>
    /// <code>
    /// var feedback = LoopsFeedback(new LoopsFeedbackSettings { Item = "42" });
    /// if (feedback.Run is null) Information(feedback.Message);
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The review item (required).</param>
    /// <returns>What was done: a message, and the rerun when there was one.</returns>
    /// <exception cref="CakeException">No item (EL1053), an unknown item or a target without feedback (exit 2), or a failed rerun (EL1052).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Review")]
    public static LoopsFeedbackResult LoopsFeedback(this ICakeContext context, LoopsFeedbackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var item = string.IsNullOrWhiteSpace(settings.Item)
            ? throw LoopsFailure.Raise(AddinCodes.MissingSetting, "LoopsFeedback needs the review item.", "Set Item to the pull request number (GitHub) or the item or mission id (local queue).")
            : settings.Item;
        var invocation = new LoopsRunner(context).Run(settings, arguments => arguments.Append("feedback").Append("--item").AppendQuoted(item).Append("--json"));
        if (invocation.Output.TrimStart().StartsWith('{'))
        {
            return new LoopsFeedbackResult { Message = "The mission ran again on its review item's feedback.", Run = RunResult(invocation, settings.FailOnMissionFailure) };
        }

        return invocation.ExitCode == 0 ? new LoopsFeedbackResult { Message = invocation.Output.Trim() } : throw LoopsFailure.From(invocation);
    }

    /// <summary>
    /// Scans the repository's NuGet packages, MSBuild SDKs and dotnet tools against its package sources and reports
    /// which could move, to what, and why (<c>loops deps scan</c>). Nothing is changed.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <returns>One finding per dependency, and the problems met.</returns>
    /// <exception cref="CakeException">A malformed file (exit 2) or a package source that failed (exit 3).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Dependencies")]
    public static LoopsDepsScanResult LoopsDepsScan(this ICakeContext context) => context.LoopsDepsScan(new LoopsDepsScanSettings());

    /// <summary>Scans the dependencies under a mission's update policy, or the default one (<c>loops deps scan</c>).</summary>
    /// <example>
    /// <code>
    /// var scan = LoopsDepsScan(new LoopsDepsScanSettings { UpdatesOnly = true });
    /// if (scan.Dependencies.Any(d => d.Security)) throw new Exception("vulnerable dependencies");
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The mission whose policy applies, updates only, no cache.</param>
    /// <returns>One finding per dependency, and the problems met.</returns>
    /// <exception cref="CakeException">A malformed file (exit 2) or a package source that failed (exit 3).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Dependencies")]
    public static LoopsDepsScanResult LoopsDepsScan(this ICakeContext context, LoopsDepsScanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("deps").Append("scan").Append("--json");
            if (settings.Mission is { } mission)
            {
                arguments.Append("--mission").AppendQuoted(mission);
            }

            if (settings.UpdatesOnly)
            {
                arguments.Append("--updates-only");
            }

            if (settings.NoCache)
            {
                arguments.Append("--no-cache");
            }
        });
        if (invocation.Output.Length == 0)
        {
            throw LoopsFailure.From(invocation);
        }

        var result = LoopsRunner.Read<LoopsDepsScanResult>(invocation);
        return invocation.ExitCode == 0 ? result : throw LoopsFailure.From(invocation, result.Diagnostics);
    }

    /// <summary>
    /// The pair session's feedback call (<c>loops pair status</c>): build (and tests), a checkpoint, the dashboard.
    /// With a <see cref="LoopsPairStatusSettings.Goal"/> and no active session, starts one first.
    /// </summary>
    /// <example>
    /// <code>
    /// var status = LoopsPairStatus(new LoopsPairStatusSettings { Goal = "parse dates", Criteria = { "tests pass" } });
    /// if (!status.BuildSucceeded) Error(status.Dashboard);
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The session, or the goal, time box and criteria of a new one; the project; whether to test.</param>
    /// <returns>The build and test feedback, the criteria and the checkpoint taken.</returns>
    /// <exception cref="CakeException">No active session and no goal, or bad input (exit 2).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Pair")]
    public static LoopsPairStatusResult LoopsPairStatus(this ICakeContext context, LoopsPairStatusSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("pair").Append("status").Append("--json");
            AppendOptional(arguments, "--session", settings.Session);
            AppendOptional(arguments, "--goal", settings.Goal);
            AppendOptional(arguments, "--timebox", settings.Timebox);
            AppendOptional(arguments, "--project", settings.Project);
            foreach (var criterion in settings.Criteria)
            {
                arguments.Append("--criteria").AppendQuoted(criterion);
            }

            if (settings.Test)
            {
                arguments.Append("--test");
            }
        });
        return invocation.ExitCode == 0 ? LoopsRunner.Read<PairStatusDocument>(invocation).ToResult() : throw LoopsFailure.From(invocation);
    }

    /// <summary>Snapshots the working tree of the active pair session (<c>loops pair checkpoint</c>); nothing else changes.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The session and the checkpoint's label.</param>
    /// <returns>The checkpoint: number, commit, label.</returns>
    /// <exception cref="CakeException">No such session (exit 2).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Pair")]
    public static LoopsPairCheckpointResult LoopsPairCheckpoint(this ICakeContext context, LoopsPairCheckpointSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("pair").Append("checkpoint").Append("--json");
            AppendOptional(arguments, "--session", settings.Session);
            AppendOptional(arguments, "--label", settings.Label);
        });
        return invocation.ExitCode == 0 ? LoopsRunner.Read<LoopsPairCheckpointResult>(invocation) : throw LoopsFailure.From(invocation);
    }

    /// <summary>Ends the pair session (<c>loops pair end</c>): writes its record and drafts follow-up missions.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The session, the record's path, the project.</param>
    /// <returns>The record's path, the drafted briefs and the criteria's final status.</returns>
    /// <exception cref="CakeException">No such session (exit 2).</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Pair")]
    public static LoopsPairEndResult LoopsPairEnd(this ICakeContext context, LoopsPairEndSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var invocation = new LoopsRunner(context).Run(settings, arguments =>
        {
            arguments.Append("pair").Append("end").Append("--json");
            AppendOptional(arguments, "--session", settings.Session);
            AppendOptional(arguments, "--record", settings.Record);
            AppendOptional(arguments, "--project", settings.Project);
        });
        return invocation.ExitCode == 0 ? LoopsRunner.Read<PairEndDocument>(invocation).ToResult() : throw LoopsFailure.From(invocation);
    }

    private static LoopsRunResult RunResult(LoopsInvocation invocation, bool failOnMissionFailure)
    {
        // Exit 1 is a run whose missions failed (the report is on stdout); 2 and 3 stop before or outside the missions.
        if (invocation.ExitCode is not (0 or 1) || invocation.Output.Length == 0)
        {
            throw LoopsFailure.From(invocation);
        }

        var run = LoopsRunner.Read<LoopsRunResult>(invocation);
        var failed = run.Failed.ToList();
        if (failed.Count == 0 || !failOnMissionFailure)
        {
            return run;
        }

        var diagnostics = failed.Select(m => new LoopsDiagnostic
        {
            Code = AddinCodes.MissionFailed,
            Message = $"Mission '{m.MissionId}' {DescribeFailure(m)}: {m.Message}",
            Hint = m.Diagnostics.FirstOrDefault(d => d.IsError)?.ToString(),
        }).ToList();
        throw LoopsCakeException.Create(1, AddinCodes.MissionFailed, diagnostics, run);
    }

    private static string DescribeFailure(LoopsMissionResult mission) => mission.Outcome switch
    {
        LoopsMissionOutcome.GateFailed => $"failed the required gate(s) {string.Join(", ", mission.Gates.Where(g => g.Required && g.Status == LoopsGateStatus.Failed).Select(g => g.Name))}",
        LoopsMissionOutcome.ToilFailed => "failed its toil",
        _ => "stopped on an error",
    };

    private static void AppendMissions(ProcessArgumentBuilder arguments, IEnumerable<string> missions, bool all)
    {
        foreach (var mission in missions)
        {
            arguments.Append("--mission").AppendQuoted(mission);
        }

        if (all)
        {
            arguments.Append("--all");
        }
    }

    private static void AppendOptional(ProcessArgumentBuilder arguments, string option, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            arguments.Append(option).AppendQuoted(value);
        }
    }
}
