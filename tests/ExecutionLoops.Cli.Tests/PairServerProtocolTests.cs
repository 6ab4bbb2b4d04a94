using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Tests;

/// <summary>What the MSBuild task and the pair server agree on: the arguments as the program would receive them, and the lines between them.</summary>
public sealed class PairServerProtocolTests
{
    [Fact]
    public void SplitCommandLine_SplitsAsTheRuntimeDoesForAProcess()
    {
        // The Pair target's command line: quoted paths, a goal with escaped quotes, a criterion with a semicolon.
        var line = "pair status --project \"/src/my app/App.sln\" --goal \"Say \\\"hi\\\" twice\" --criteria \"tests pass;no new warnings\" --path C:\\dir\\ --no-color";

        PairServerProtocol.SplitCommandLine(line).ShouldBe(["pair", "status", "--project", "/src/my app/App.sln", "--goal", "Say \"hi\" twice", "--criteria", "tests pass;no new warnings", "--path", "C:\\dir\\", "--no-color"]);
        PairServerProtocol.SplitCommandLine("a \"\" \"x\"\"y\" \\\\\\\"q").ShouldBe(["a", "", "x\"y", "\\\"q"]);
    }

    [Fact]
    public void Lines_CarryTabsNewlinesAndBackslashesUnchanged_AndOnlyTheTargetsPairCommandsAreServed()
    {
        var value = "C:\\temp\\new\tline\nnext\\n";
        var parsed = PairServerProtocol.Parse(PairServerProtocol.Line("arg", value));

        PairServerProtocol.Line("arg", value).ShouldNotContain("\n");
        parsed.Key.ShouldBe("arg");
        parsed.Value.ShouldBe(value);
        PairServerProtocol.IsServed(["pair", "status", "--goal", "x"]).ShouldBeTrue();
        PairServerProtocol.IsServed(["pair", "checkpoint"]).ShouldBeTrue();
        PairServerProtocol.IsServed(["pair", "watch"]).ShouldBeFalse();
        PairServerProtocol.IsServed(["pair", "serve"]).ShouldBeFalse();
        PairServerProtocol.IsServed(["delegate", "--all"]).ShouldBeFalse();
    }

    [Fact]
    public void PipeName_IsShortAndDiffersPerRepositoryAndTool()
    {
        var tool = typeof(PairServerProtocol).Assembly.Location;
        var name = PairServerProtocol.PipeName("/repos/one", tool);

        name.ShouldMatch("^loops-pair-[0-9a-f]{24}$");
        PairServerProtocol.PipeName("/repos/one/", tool).ShouldBe(name);
        PairServerProtocol.PipeName("/repos/two", tool).ShouldNotBe(name);
        PairServerProtocol.PipeName("/repos/one", tool + ".other").ShouldNotBe(name);
    }
}
