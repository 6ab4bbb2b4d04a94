using System.ComponentModel;
using System.Text;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Pair;
using ExecutionLoops.Workspace;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace ExecutionLoops.Cli.Mcp;

/// <summary>
/// The tools <c>loops mcp</c> offers an assistant: the pair session (status, context pack, checkpoint, rewind,
/// note), gates on the working tree, brief linting and drafting follow-up missions. Each call opens the engine
/// afresh, so it sees the repository as it is now; EL problems come back as tool errors with the canonical text.
/// </summary>
internal sealed class LoopsMcpTools(string repository)
{
    public IEnumerable<McpServerTool> All() =>
    [
        Tool(SessionStatus, "session_status", "The pair session's feedback call: build (and tests when asked), a checkpoint, and the dashboard: goal, time used and left, success criteria, new diagnostics, changed files."),
        Tool(ContextPack, "context_pack", "The pair session's context pack (.loops/pair/context.md): goal, criteria, changed files, diagnostics and notes, within a size budget. Refreshed by session_status."),
        Tool(Checkpoint, "checkpoint", "Snapshot the working tree (untracked files included) as a checkpoint of the pair session; nothing else changes."),
        Tool(Rewind, "rewind", "Restore the working tree to a checkpoint; the present is saved as a new checkpoint first, so nothing is lost."),
        Tool(Note, "note", "Record a decision in the pair session; it goes into the session record."),
        Tool(RunGates, "run_gates", "Run quality gates on the working tree as it is (build, test, format, secrets, docs, analyzers) and return each result with its diagnostics."),
        Tool(LintBrief, "lint_brief", "Lint a mission brief (a path in the repository, or the brief's text) and return every problem as path(line,col): error ELxxxx: message."),
        Tool(DraftMission, "draft_mission", "Write a draft mission brief for follow-up toil into .loops/missions/drafts/ (never overwriting), lint it, and return its path and problems."),
    ];

    [Description("Pair session status")]
    private async Task<string> SessionStatus([Description("Session name; default the active one.")] string? session = null, [Description("Also run the tests.")] bool tests = false, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var result = await Commands.PairCommand.StatusAsync(engine.Pair, engine, session, null, tests, ContextPackWriter.DefaultBudget, null, cancellationToken);
            return result.Dashboard;
        });

    [Description("Context pack")]
    private async Task<string> ContextPack(CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var file = engine.Pair.Store.ContextFile;
            return File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : throw LoopsException.InvalidInput(DiagnosticCodes.NoPairSession, "There is no context pack yet.", "Call session_status (or 'loops pair start --goal …') first.");
        });

    [Description("Checkpoint")]
    private async Task<string> Checkpoint([Description("A label for the checkpoint.")] string label = "from the assistant", [Description("Session name; default the active one.")] string? session = null, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var checkpoint = await engine.Pair.CheckpointAsync(session, label, cancellationToken);
            return $"Checkpoint {checkpoint.Number} ({checkpoint.Label}) at {checkpoint.Commit[..7]}{(checkpoint.Reused ? ", reused: nothing changed since it" : "")}.";
        });

    [Description("Rewind")]
    private async Task<string> Rewind([Description("The checkpoint number to restore.")] int number, [Description("Session name; default the active one.")] string? session = null, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var (restored, safety) = await engine.Pair.RewindAsync(session, number, cancellationToken);
            return $"Restored checkpoint {restored.Number} ({restored.Label}); the state before was saved as checkpoint {safety.Number}.";
        });

    [Description("Note")]
    private async Task<string> Note([Description("The decision or note.")] string text, [Description("Session name; default the active one.")] string? session = null, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var note = engine.Pair.Note(session, text);
            return $"Noted at {note.At:HH:mm}Z: {note.Text}";
        });

    [Description("Run gates")]
    private async Task<string> RunGates([Description("Gate names (build, test, format, secrets, docs, analyzers); default build and test.")] string[]? gates = null, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var results = await engine.WorkingTree.RunAsync(gates is { Length: > 0 } ? gates : ["build", "test"], cancellationToken);
            var text = new StringBuilder();
            foreach (var result in results)
            {
                text.AppendLine($"{(result.Status == GateStatus.Passed ? "passed" : "FAILED")} {result.Name}: {result.Summary}");
                foreach (var diagnostic in result.Diagnostics.Take(30))
                {
                    text.AppendLine($"  {diagnostic}");
                }
            }

            return text.ToString();
        });

    [Description("Lint a brief")]
    private async Task<string> LintBrief([Description("Path of a brief in the repository.")] string? path = null, [Description("Or the brief's full text (front matter and specification).")] string? text = null, CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            if ((path is null) == (text is null))
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.InvalidArgument, "Give either path or text.", "path: .loops/missions/x.md, or text: the brief itself.");
            }

            var file = path ?? Path.Combine(Directory.CreateTempSubdirectory("loops-mcp-lint-").FullName, "brief.md");
            if (text is not null)
            {
                await File.WriteAllTextAsync(file, text, cancellationToken);
            }

            var result = LoopsEngine.Lint(repository, [file]);
            return result.Diagnostics.Count == 0 ? $"{path ?? "the brief"}: no problems." : string.Join('\n', result.Diagnostics.Select(d => d.ToString()));
        });

    [Description("Draft a mission")]
    private async Task<string> DraftMission(
        [Description("The toil kind: format, command, dependencies, docs, analyze, tests or agent.")] string kind,
        [Description("The mission's title.")] string title,
        [Description("The detailed specification (Markdown).")] string specification,
        [Description("Globs of the files it may change, e.g. src/**.")] string[]? scope = null,
        [Description("Gates, e.g. build, test, diff.")] string[]? gates = null,
        [Description("Success criteria.")] string[]? success = null,
        CancellationToken cancellationToken = default) =>
        await Guard(async () =>
        {
            var engine = await CliEngine.OpenAsync(repository, cancellationToken);
            var relative = $".loops/missions/drafts/{PairSessions.Slug(title)}.md";
            var path = Path.Combine(engine.Workspace.Root, relative);
            if (File.Exists(path))
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.AlreadyExists, $"'{relative}' already exists; it was not overwritten.", "Choose another title, or edit the existing draft.");
            }

            static string List(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => $"\"{i.Replace("\"", "\\\"", StringComparison.Ordinal)}\""))}]";
            var brief = new StringBuilder();
            brief.AppendLine("---");
            brief.AppendLine($"kind: {kind}");
            brief.AppendLine("on: {manual: true}");
            brief.AppendLine($"scope: {{include: {List(scope is { Length: > 0 } ? scope : ["**/*"])}}}");
            brief.AppendLine("constraints: {max-files: 20, max-lines: 400, timeout: 30m}");
            brief.AppendLine($"gates: {List(gates is { Length: > 0 } ? gates : ["build", "test", "diff"])}");
            brief.AppendLine($"success: {List(success is { Length: > 0 } ? success : [$"{title} is done"])}");
            brief.AppendLine("---");
            brief.AppendLine($"# {title}");
            brief.AppendLine();
            brief.AppendLine(specification.Trim());
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, brief.ToString(), cancellationToken);
            var lint = LoopsEngine.Lint(engine.Workspace.Root, [path]);
            return $"Wrote {relative}.{(lint.Diagnostics.Count == 0 ? " It lints clean." : "\n" + string.Join('\n', lint.Diagnostics.Select(d => d.ToString())))}";
        });

    private static McpServerTool Tool(Delegate method, string name, string description) =>
        McpServerTool.Create(method, new McpServerToolCreateOptions { Name = name, Description = description });

    /// <summary>EL problems reach the assistant as tool errors with the canonical message and hint.</summary>
    private static async Task<string> Guard(Func<Task<string>> work)
    {
        try
        {
            return await work();
        }
        catch (LoopsException ex)
        {
            throw new McpException(string.Join('\n', ex.Diagnostics.Select(d => d.ToString())));
        }
    }
}
