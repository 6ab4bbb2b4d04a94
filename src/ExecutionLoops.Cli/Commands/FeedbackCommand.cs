using System.CommandLine;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.GitHub.Review;
using ExecutionLoops.Planning;

namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// <c>loops feedback --pr N</c>: reviewers' comments and <c>/loops</c> commands on a mission's pull request go
/// back to the mission, which runs again on the same branch and answers the comments it addressed.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create(CliContext context)
    {
        var pr = new Option<int>("--pr") { Description = "The pull request number.", Required = true };
        var json = GlobalOptions.Json("the run report");
        var command = new Command("feedback", "Act on review comments and /loops commands (rerun, rebase, feedback <text>, close) made on a mission's pull request since loops last pushed; only trusted authors are heard.") { pr, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var target = engine.Registry.CreateReviewTarget(engine.Workspace.Config.ReviewTarget, engine.Workspace) as GitHubPullRequestTarget
                ?? throw LoopsException.InvalidInput(DiagnosticCodes.UnknownReviewTarget, "'loops feedback' reads pull requests, but this repository does not publish to GitHub.", "Set 'review: {target: github}' in .loops/config.yml; the local queue takes feedback with 'loops review reject'.");
            RunOutput.MaskSecrets(context);
            var round = await target.ReadFeedbackAsync(parse.GetValue(pr), cancellationToken);
            foreach (var ignored in round.Ignored)
            {
                context.Error.WriteLine($"ignored comment {ignored.Id} by {ignored.Author} ({ignored.Association}): not a trusted author or not a known command");
            }

            if (round.FromFork)
            {
                context.Host.Annotate(Diagnostic.Warning(DiagnosticCodes.PublishFailed, $"Pull request #{round.Number} comes from a fork; loops never acts on it with this repository's secrets."));
                context.Error.WriteLine($"Pull request #{round.Number} comes from a fork: nothing done.");
                return ExitCodes.Success;
            }

            if (round.Commands.Contains(LoopsCommand.Close))
            {
                await target.CloseAsync(round.Number, cancellationToken);
                context.Output.WriteLine($"Closed pull request #{round.Number} (/loops close).");
                return ExitCodes.Success;
            }

            if (round.Commands.Count == 0 && round.Feedback.Count == 0)
            {
                context.Output.WriteLine($"Nothing to do on #{round.Number}: no trusted feedback or command since the last push.");
                return ExitCodes.Success;
            }

            var observer = new ConsoleRunObserver(context);
            var report = await observer.ShowAsync(() => engine.DelegateAsync(new PlanRequest([round.MissionId], false), new DelegationOptions(), observer, cancellationToken));
            if (report.Missions.FirstOrDefault(m => m.MissionId == round.MissionId) is { Commit: { } commit, Failed: false } && round.Addressed.Count > 0)
            {
                await target.ReplyAsync(round, commit, cancellationToken);
            }

            return DelegateCommand.Finish(context, engine, report, parse, json);
        });
        return command;
    }
}
