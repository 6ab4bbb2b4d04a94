using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ExecutionLoops.Cli.Tests;

/// <summary>An MCP client session (the package's own client) with the real <c>loops mcp</c> program over stdio.</summary>
public sealed class McpTests
{
    [Fact]
    public async Task AnAssistant_CanUseEveryTool_OverStdio()
    {
        using var repo = new TempGitRepo();
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n");
        repo.Write("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        repo.Commit("library");
        (await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "Add subtraction")).ExitCode.ShouldBe(0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "loops",
            Command = CliRunner.DotnetHost,
            Arguments = [CliRunner.StandaloneToolPath, "mcp", "--repo", repo.Root],
            WorkingDirectory = repo.Root,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);

        var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);
        tools.Select(t => t.Name).ShouldBe(["session_status", "context_pack", "checkpoint", "rewind", "note", "run_gates", "lint_brief", "draft_mission"], ignoreOrder: true);

        async Task<string> Call(string name, Dictionary<string, object?>? arguments = null)
        {
            var result = await client.CallToolAsync(name, arguments ?? [], cancellationToken: timeout.Token);
            var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
            (result.IsError ?? false).ShouldBeFalse(text);
            return text;
        }

        (await Call("session_status")).ShouldContain("Add subtraction");
        (await Call("context_pack")).ShouldContain("Add subtraction");
        var checkpoint = await Call("checkpoint", new() { ["label"] = "before sub" });
        checkpoint.ShouldStartWith("Checkpoint ");
        var number = int.Parse(checkpoint.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n    public static int Sub(int a, int b) => a - ;\n}\n");

        var gates = await Call("run_gates", new() { ["gates"] = new[] { "build" } });
        gates.ShouldContain("FAILED build");
        gates.ShouldContain("Calc.cs(6,");

        (await Call("rewind", new() { ["number"] = number })).ShouldStartWith($"Restored checkpoint {number}");
        repo.Read("Calc.cs").ShouldNotContain("Sub");
        (await Call("note", new() { ["text"] = "Sub waits for the parser change" })).ShouldContain("Sub waits for the parser change");

        (await Call("lint_brief", new() { ["text"] = "---\nkind: formatt\n---\n# x\n" })).ShouldContain("error EL1009");
        var draft = await Call("draft_mission", new() { ["kind"] = "format", ["title"] = "Format the library", ["specification"] = "Run the formatter.", ["scope"] = new[] { "**/*.cs" }, ["gates"] = new[] { "format", "diff" } });
        draft.ShouldBe("Wrote .loops/missions/drafts/format-the-library.md. It lints clean.");
        File.Exists(repo.Path(".loops/missions/drafts/format-the-library.md")).ShouldBeTrue();

        var again = await client.CallToolAsync("draft_mission", new Dictionary<string, object?> { ["kind"] = "format", ["title"] = "Format the library", ["specification"] = "x" }, cancellationToken: timeout.Token);
        (again.IsError ?? false).ShouldBeTrue();
        string.Concat(again.Content.OfType<TextContentBlock>().Select(c => c.Text)).ShouldContain("EL1032");
    }
}
