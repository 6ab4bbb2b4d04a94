using System.CommandLine;
using ExecutionLoops.Cli.Mcp;
using ExecutionLoops.Diagnostics;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops mcp</c>: an MCP server over stdio for assistants (Claude Code, Copilot, Cursor).</summary>
internal static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("mcp", "Serve the pair session and the engine to AI assistants over MCP (stdio): session_status, context_pack, checkpoint, rewind, note, run_gates, lint_brief, draft_mission. Configure it in the assistant as the command 'loops mcp'; stdout carries the protocol, logs go to stderr.");
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var repository = GlobalOptions.RepoPath(context, parse);
            var tools = new McpServerPrimitiveCollection<McpServerTool>();
            foreach (var tool in new LoopsMcpTools(repository).All())
            {
                tools.Add(tool);
            }

            var options = new McpServerOptions
            {
                ServerInfo = new Implementation { Name = "loops", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
                ServerInstructions = "ExecutionLoops: use session_status for build/test feedback on the pair session, checkpoint before risky edits, rewind to undo, note decisions, run_gates before declaring work done, and draft_mission for routine follow-up work that should be delegated rather than done now.",
                ToolCollection = tools,
            };
            await using var server = McpServer.Create(new StdioServerTransport("loops"), options);
            await server.RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
