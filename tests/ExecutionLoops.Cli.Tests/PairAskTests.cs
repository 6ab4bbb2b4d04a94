using System.Text.Json;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;

namespace ExecutionLoops.Cli.Tests;

public sealed class PairAskTests : IDisposable
{
    private readonly string _scripts = VisibleFolder.Create("loops-pair-agent-");

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    [Fact]
    public async Task AskRejectAccept_ProposesWithoutTouchingTheDeveloperFiles_AdjustsToFeedback_ThenApplies()
    {
        var agent = Path.Combine(_scripts, "agent.sh");
        File.WriteAllText(agent, """
            #!/bin/sh
            if grep -q "Feedback on your previous proposal" "$1"; then
              printf 'namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => checked(a + b);\n\n    public static int Sub(int a, int b) => checked(a - b);\n}\n' > Calc.cs
            else
              grep -q "make Add checked" "$1" && printf 'namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => checked(a + b);\n}\n' > Calc.cs
            fi
            echo "proposed"
            """);
        using var repo = new TempGitRepo();
        repo.Write(".gitignore", "bin/\nobj/\n.loops/pair/\n");
        repo.Write(".loops/config.yml", $"agent:\n  command: \"sh {agent} {{prompt_file}}\"\n");
        repo.Write("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        repo.Write("Calc.cs", "namespace Lib;\n\npublic static class Calc\n{\n    public static int Add(int a, int b) => a + b;\n}\n");
        repo.Commit("library");
        var original = repo.Read("Calc.cs");
        (await CliRunner.RunAsync(repo.Root, "pair", "start", "--goal", "Safer arithmetic")).ExitCode.ShouldBe(0);

        var ask = await CliRunner.RunAsync(repo.Root, "pair", "ask", "make Add checked");

        ask.ExitCode.ShouldBe(0, ask.All);
        ask.Output.ShouldContain("+    public static int Add(int a, int b) => checked(a + b);");
        ask.Output.ShouldContain("-    public static int Add(int a, int b) => a + b;");
        repo.Read("Calc.cs").ShouldBe(original);

        var reject = await CliRunner.RunAsync(repo.Root, "pair", "reject", "--feedback", "also add Sub", "--json");

        reject.ExitCode.ShouldBe(0, reject.All);
        var proposal = JsonDocument.Parse(reject.Output).RootElement;
        proposal.GetProperty("round").GetInt32().ShouldBe(2);
        proposal.GetProperty("patch").GetString()!.ShouldContain("+    public static int Sub(int a, int b) => checked(a - b);");
        repo.Read("Calc.cs").ShouldBe(original);

        var accept = await CliRunner.RunAsync(repo.Root, "pair", "accept");

        accept.ExitCode.ShouldBe(0, accept.All);
        repo.Read("Calc.cs").ShouldContain("public static int Sub(int a, int b) => checked(a - b);");
        var again = await CliRunner.RunAsync(repo.Root, "pair", "accept");
        again.ExitCode.ShouldBe(2);
        again.Error.ShouldContain("EL6006");
        var session = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(repo.Path(".loops/pair"), "session.json", SearchOption.AllDirectories).Single())).RootElement;
        var notes = session.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("text").GetString()).ToList();
        notes.ShouldContain("Rejected the proposal for \"make Add checked\": also add Sub");
        notes.ShouldContain("Accepted the assistant's proposal for \"make Add checked\" (1 file(s)).");
    }
}
