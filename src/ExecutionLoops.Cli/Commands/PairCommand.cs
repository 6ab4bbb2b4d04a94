using System.CommandLine;
using System.Text.Json;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Pair;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// <c>loops pair start|status|note|checkpoint|rewind|end|watch</c>: the synchronous loop. The MSBuild targets
/// (Pair, PairNote, PairCheckpoint, PairRewind, PairEnd) call these same commands.
/// </summary>
internal static class PairCommand
{
    private static readonly Option<string> Session = new("--session") { Description = "The session to act on (default: the active one); names a new session on start." };

    public static Command Create(CliContext context)
    {
        var command = new Command("pair", "Pair live with an AI assistant: a session with goal, criteria and time box; build/test feedback and a checkpoint on every call; notes; rewind; a written record.");
        command.Add(Start(context, "start", "Start a pair session and give the first feedback."));
        command.Add(Start(context, "status", "The feedback call: build (and tests), a checkpoint, the dashboard and .loops/pair/context.md. Starts a session when given a goal and none is active."));
        command.Add(Note(context));
        command.Add(Checkpoint(context));
        command.Add(Rewind(context));
        command.Add(End(context));
        command.Add(Watch(context));
        command.Add(PairServeCommand.Create(context));
        foreach (var assistant in PairAskCommands.Create(context, Session))
        {
            command.Add(assistant);
        }

        return command;
    }

    private static Command Start(CliContext context, string name, string description)
    {
        var goal = new Option<string>("--goal") { Description = "What the session is for." };
        var timebox = new Option<string>("--timebox") { Description = "The time box, e.g. 45m or 1h30m." };
        var criteria = new Option<string[]>("--criteria") { Description = "Success criteria (repeat, or separate with ';'): 'tests pass', 'build succeeds', 'no new warnings', 'command: <shell>' are checked automatically." };
        var brief = new Option<string>("--brief") { Description = "A 'loop: pair' brief that supplies goal, criteria and time box." };
        var project = ProjectOption();
        var test = new Option<bool>("--test") { Description = "Also run the tests (automatic when a criterion mentions tests)." };
        var budget = new Option<int>("--context-budget") { Description = "Size budget of .loops/pair/context.md in characters.", DefaultValueFactory = _ => ContextPackWriter.DefaultBudget };
        // Set by the MSBuild Pair target, which has just built in-process: no second build.
        var compilerLog = new Option<string>("--compiler-log") { Description = "The compiler's SARIF log of a build that already ran (used by the MSBuild targets).", Hidden = true };
        var buildSucceeded = new Option<bool?>("--build-succeeded") { Description = "Whether that build succeeded.", Hidden = true };
        var json = GlobalOptions.Json("the feedback (session, build, tests, criteria, checkpoint)");
        var command = new Command(name, description) { goal, timebox, criteria, brief, Session, project, test, budget, compilerLog, buildSucceeded, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var pair = engine.OpenPair(context.Trace);
            var sessionName = parse.GetValue(Session);
            var startRequested = name == "start" || parse.GetValue(goal) is not null || parse.GetValue(brief) is not null;
            if (startRequested)
            {
                var list = (parse.GetValue(criteria) ?? []).SelectMany(c => c.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
                var briefs = parse.GetValue(brief) is null ? [] : engine.RequireValidCatalog().Briefs;
                var session = await pair.StartAsync(new PairStart(parse.GetValue(goal), list, parse.GetValue(timebox), parse.GetValue(brief), sessionName), briefs, cancellationToken);
                sessionName = session.Id;
                (parse.GetValue(json) ? context.Error : context.Output).WriteLine($"Started pair session {session.Id}.");
            }

            var evidence = parse.GetValue(compilerLog) is { } log ? new BuildEvidence(parse.GetValue(buildSucceeded) ?? true, log) : null;
            var result = await StatusAsync(pair, engine, sessionName, parse.GetValue(project), parse.GetValue(test), parse.GetValue(budget), evidence, cancellationToken);
            if (parse.GetValue(json))
            {
                // For scripts (the Cake addin's LoopsPairStatus): the records as they are, the dashboard's text beside them.
                var document = new { result.Session, result.Feedback, result.Criteria, result.NewDiagnostics, result.ChangedFiles, result.Checkpoint, result.Dashboard };
                context.Output.WriteLine(JsonSerializer.Serialize(document, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            context.Output.Write(result.Dashboard);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Note(CliContext context)
    {
        var text = new Argument<string>("text") { Description = "The decision or note." };
        var command = new Command("note", "Append a timestamped decision to the session.") { text, Session };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var note = engine.OpenPair(context.Trace).Note(parse.GetValue(Session), parse.GetValue(text) ?? "");
            context.Output.WriteLine($"Noted at {note.At:HH:mm}Z: {note.Text}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Checkpoint(CliContext context)
    {
        var label = new Option<string>("--label") { Description = "Why this checkpoint.", DefaultValueFactory = _ => "manual" };
        var json = GlobalOptions.Json("the checkpoint");
        var command = new Command("checkpoint", "Snapshot the working tree (untracked files included) as refs/loops/pair/<session>/<n>; nothing else changes.") { label, Session, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var checkpoint = await engine.OpenPair(context.Trace).CheckpointAsync(parse.GetValue(Session), parse.GetValue(label)!, cancellationToken);
            context.Output.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(checkpoint, LoopsJson.Indented) : checkpoint.Reused ? $"Checkpoint {checkpoint.Number} reused: nothing changed since it ({checkpoint.Commit[..7]})." : $"Checkpoint {checkpoint.Number} saved ({checkpoint.Commit[..7]}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rewind(CliContext context)
    {
        var number = new Argument<int?>("checkpoint") { Description = "The checkpoint to restore; omit to list them.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rewind", "Restore the working tree to a checkpoint, after saving the present as a new checkpoint so nothing is lost.") { number, Session };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            if (parse.GetValue(number) is not { } n)
            {
                var session = engine.OpenPair(context.Trace).Store.Require(parse.GetValue(Session));
                context.Output.WriteLine($"Checkpoints of {session.Id}:");
                foreach (var checkpoint in session.Checkpoints)
                {
                    context.Output.WriteLine($"  {checkpoint.Number}  {checkpoint.At:HH:mm:ss}  {checkpoint.Label}");
                }

                context.Output.WriteLine("Rewind with: loops pair rewind <n>   (MSBuild: -t:PairRewind -p:Checkpoint=<n>)");
                return ExitCodes.Success;
            }

            var (restored, safety) = await engine.OpenPair(context.Trace).RewindAsync(parse.GetValue(Session), n, cancellationToken);
            context.Output.WriteLine($"Restored checkpoint {restored.Number} ({restored.Label}). The state before is checkpoint {safety.Number}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command End(CliContext context)
    {
        var record = new Option<string>("--record") { Description = "Where to write the session record (default docs/pair-sessions/<date>-<slug>.md)." };
        var project = ProjectOption();
        var json = GlobalOptions.Json("the ended session, its record and drafts");
        var command = new Command("end", "End the session: write the session record and draft follow-up missions (TODOs added, new warnings, formatting) into .loops/missions/drafts/.") { record, Session, project, json };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var result = await engine.OpenPair(context.Trace).EndAsync(parse.GetValue(Session), parse.GetValue(record), OptionalProject(engine, parse, project), cancellationToken);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(result, LoopsJson.Indented));
                return ExitCodes.Success;
            }

            context.Output.WriteLine($"Ended pair session {result.Session.Id}. Record: {Path.GetRelativePath(engine.Workspace.Root, result.RecordPath)}");
            foreach (var draft in result.Drafts)
            {
                context.Output.WriteLine($"Drafted follow-up mission: {Path.GetRelativePath(engine.Workspace.Root, draft)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Watch(CliContext context)
    {
        var project = ProjectOption();
        var noTest = new Option<bool>("--no-test") { Description = "Build only; run no tests." };
        var command = new Command("watch", "On every saved change: rebuild incrementally, run the affected test projects, refresh the dashboard and the context pack, and checkpoint each green state. Ctrl+C stops.") { Session, project, noTest };
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var engine = await CliEngine.OpenAsync(context, parse, cancellationToken);
            var target = Project(engine, parse, project);
            // One instance for the whole watch: it keeps the project graph between runs.
            var pair = engine.OpenPair(context.Trace);
            pair.Store.Require(parse.GetValue(Session));
            using var changes = new SourceChangeSignal(engine.Workspace.Root);
            context.Output.WriteLine("Watching for changes (Ctrl+C stops)…");
            while (!cancellationToken.IsCancellationRequested)
            {
                using (context.Trace.Start("watch run"))
                {
                    var result = await pair.CheckAsync(parse.GetValue(Session), target, !parse.GetValue(noTest), ContextPackWriter.DefaultBudget, cancellationToken, watching: true);
                    context.Output.Write(result.Dashboard);
                    context.Output.Flush();
                }

                await changes.WaitAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The feedback call, the one code path of <c>loops pair status</c>, the MSBuild Pair target and the MCP
    /// <c>session_status</c> tool: a caller pays the same for it whichever way it came in.
    /// </summary>
    public static Task<PairCheckResult> StatusAsync(PairSessions pair, LoopsEngine engine, string? session, string? project, bool tests, int budget, BuildEvidence? evidence, CancellationToken cancellationToken) =>
        pair.CheckAsync(session, ResolveProject(engine, project), tests, budget, cancellationToken, evidence);

    private static Option<string> ProjectOption() => new("--project") { Description = "The project or solution to build (default: the one the config names, else the one at the root)." };

    /// <summary>The project when one can be found; ending a session must not fail for want of one.</summary>
    private static string? OptionalProject(LoopsEngine engine, ParseResult parse, Option<string> project)
    {
        try
        {
            return Project(engine, parse, project);
        }
        catch (LoopsException)
        {
            return null;
        }
    }

    private static string Project(LoopsEngine engine, ParseResult parse, Option<string> project) => ResolveProject(engine, parse.GetValue(project));

    private static string ResolveProject(LoopsEngine engine, string? given) =>
        given is not null ? Path.GetFullPath(Path.Combine(engine.Workspace.Root, given)) : SolutionLocator.Locate(engine.Workspace.Root, engine.Workspace.Config.Solution);
}
