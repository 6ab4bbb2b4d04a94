using System.CommandLine;
using ExecutionLoops.Cli.Demo;
using ExecutionLoops.Cli.Rendering;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Planning;
using ExecutionLoops.Reporting;
using ExecutionLoops.Review;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// <c>loops demo</c>: the whole delegate loop on a throwaway repository made from the sample embedded in
/// the tool — a format mission, a command mission and a mission whose gate fails on purpose.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Option<string>("--path") { Description = "Create the demo repository here (an empty or missing folder) instead of a temp folder." };
        var noRun = new Option<bool>("--no-run") { Description = "Only create the sample repository; run nothing." };
        var command = new Command("demo", "Create a sample C# repository with three missions in a temp folder, run the delegate loop on it, and show the review queue and the report.") { path, noRun };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            // The demo opens the engine half-way through; it times itself on the clock the engine defaults to.
            var clock = TimeProvider.System;
            var started = clock.GetTimestamp();
            var repo = parse.GetValue(path) is { } given ? Path.GetFullPath(Path.Combine(context.WorkingDirectory, given)) : Directory.CreateTempSubdirectory("loops-demo-").FullName;
            if (Directory.Exists(repo) && Directory.EnumerateFileSystemEntries(repo).Any())
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.AlreadyExists, $"'{repo}' is not empty; the demo needs an empty folder.", "Pass --path with a new folder, or omit it to use a temp folder.");
            }

            Directory.CreateDirectory(repo);
            DemoSample.ExtractTo(repo);
            await CreateRepositoryAsync(repo, cancellationToken);
            context.Error.WriteLine($"Sample repository: {repo}");
            if (parse.GetValue(noRun))
            {
                context.Output.WriteLine(repo);
                return ExitCodes.Success;
            }

            var engine = await CliEngine.OpenAsync(repo, cancellationToken);
            var observer = new ConsoleRunObserver(context, engine.Clock);
            var report = await observer.ShowAsync(() => engine.DelegateAsync(new PlanRequest([], All: true), new DelegationOptions(), observer, cancellationToken));
            var reportPath = RunOutput.WriteReports(engine, report, null, context);
            RunOutput.PrintSummary(context, report);

            context.Output.WriteLine();
            context.Output.WriteLine("Review queue:");
            var queue = new LocalReviewQueue(engine.Workspace.Git, engine.Workspace.State.Reviews, engine.Clock);
            ReviewCommand.Print(context, await queue.ListAsync(includeClosed: false, cancellationToken));
            context.Output.WriteLine();
            context.Output.WriteLine($"Report:     {reportPath}");
            context.Output.WriteLine($"Repository: {repo}");
            context.Output.WriteLine($"Finished in {clock.GetElapsedTime(started).TotalSeconds:0}s. The write-architecture-notes mission was blocked by its gate on purpose.");
            context.Output.WriteLine();
            context.Output.WriteLine("Try next (without the tool installed, run 'dotnet run --project src/ExecutionLoops.Cli -- --repo <repository> …' in place of 'loops'):");
            context.Output.WriteLine($"  cd {repo}");
            context.Output.WriteLine("  loops review diff format-code");
            context.Output.WriteLine("  loops review approve format-code");
            context.Output.WriteLine("  loops review reject stamp-changelog --feedback \"mention the release number\"");
            context.Output.WriteLine("  loops delegate --mission stamp-changelog     # the rejected item is updated, not duplicated");
            return report.Missions.Any(m => m.Outcome == MissionOutcome.Errored) ? ExitCodes.Infrastructure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task CreateRepositoryAsync(string repo, CancellationToken cancellationToken)
    {
        var processes = new Processes.ProcessRunner();
        async Task Git(params string[] arguments)
        {
            var result = await processes.RunAsync(new Processes.ProcessSpec("git", arguments, repo), cancellationToken);
            if (!result.Succeeded)
            {
                throw LoopsException.Infrastructure(DiagnosticCodes.GitFailed, $"git {string.Join(' ', arguments)} failed: {result.StandardError.Trim()}", "Check that git works in this shell.");
            }
        }

        await Git("init", "--quiet", "--initial-branch=main");
        await Git("config", "user.name", "ExecutionLoops Demo");
        await Git("config", "user.email", "demo@loops.invalid");
        await Git("add", "--all");
        await Git("commit", "--quiet", "--no-verify", "-m", "DemoShop: initial commit");
        _ = await GitRepository.DiscoverAsync(repo, processes, cancellationToken);
    }
}
