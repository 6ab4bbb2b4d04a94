using System.Diagnostics;
using System.Text.Json;
using ExecutionLoops.Briefs;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Gates;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The proof that parts describe themselves: a toil kind and a gate that exist only in this test assembly are
/// registered through the registry's extensions, and lint, schema, plan and delegate accept and run them with no
/// other edit anywhere.
/// </summary>
public sealed class PartsExtensionTests
{
    private static readonly LoopsExtensions Toys = CliEngine.Extensions with { Toils = [new GreetingToil()], Gates = [new WordLimitGate()] };

    private const string Brief = """
        kind: greeting
        on: {manual: true}
        constraints: {max-files: 2, max-lines: 10, timeout: 1m}
        greeting: {text: "hello from a toy", file: GREETING.md}
        gates: [diff, {word-limit: {max-words: 10}}]
        success: [the greeting is written]
        """;

    [Fact]
    public async Task Lint_AcceptsTheToyPartsAndChecksTheirOptionsWithLineAndSuggestion()
    {
        using var repo = MissionRepo.Create(("greet", Brief), ("bad", Brief.Replace("max-words: 10", "max-word: many", StringComparison.Ordinal).Replace("text: \"hello from a toy\", ", "", StringComparison.Ordinal)));

        var good = await CliRunner.RunAsync(repo.Root, null, Toys, "lint", ".loops/missions/greet.md");
        var bad = await CliRunner.RunAsync(repo.Root, null, Toys, "lint", ".loops/missions/bad.md");
        var withoutTheParts = await CliRunner.RunAsync(repo.Root, "lint", ".loops/missions/greet.md");

        good.ExitCode.ShouldBe(0, good.All);
        bad.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        bad.Output.ShouldContain(".loops/missions/bad.md(6,29): error EL1004: Unknown key 'max-word' in the 'word-limit' gate. Did you mean 'max-words'?");
        bad.Output.ShouldContain("error EL1013: The 'greeting' section needs a 'text' option. Write it as {greeting: {text: hello}}.");
        withoutTheParts.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        withoutTheParts.Output.ShouldContain("error EL1009: Unknown kind 'greeting'.");
    }

    [Fact]
    public async Task Lint_AWrongTypeInAToyOption_IsAnErrorAtTheValue()
    {
        using var repo = MissionRepo.Create(("greet", Brief.Replace("max-words: 10", "max-words: many", StringComparison.Ordinal)));

        var result = await CliRunner.RunAsync(repo.Root, null, Toys, "lint");

        result.ExitCode.ShouldBe(ExitCodes.InvalidInput);
        result.Output.ShouldContain(".loops/missions/greet.md(6,40): error EL1005: 'max-words' must be a positive whole number, not 'many'.");
    }

    [Fact]
    public async Task Schema_DescribesTheToyKindItsSectionAndTheToyGateWithItsOptions()
    {
        var result = await CliRunner.RunAsync(Path.GetTempPath(), null, Toys, "schema", "mission");

        result.ExitCode.ShouldBe(0, result.All);
        var properties = JsonDocument.Parse(result.Output).RootElement.GetProperty("properties");
        properties.GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("greeting");
        var section = properties.GetProperty("greeting");
        section.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["text"]);
        section.GetProperty("properties").GetProperty("file").GetProperty("type").GetString().ShouldBe("string");
        var gate = properties.GetProperty("gates").GetProperty("items").GetProperty("anyOf").EnumerateArray()
            .Single(c => c.TryGetProperty("properties", out var p) && p.TryGetProperty("word-limit", out _))
            .GetProperty("properties").GetProperty("word-limit").GetProperty("anyOf")[0];
        gate.GetProperty("properties").GetProperty("max-words").GetProperty("minimum").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task PlanAndDelegate_RunTheToyKindBehindTheToyGate()
    {
        using var repo = MissionRepo.Create(("greet", Brief), ("too-long", Brief.Replace("hello from a toy", "one two three four five six seven eight nine ten eleven", StringComparison.Ordinal)));

        var plan = await CliRunner.RunAsync(repo.Root, null, Toys, "plan", "--all", "--json");
        var greet = await CliRunner.RunAsync(repo.Root, null, Toys, "delegate", "--mission", "greet");
        var tooLong = await CliRunner.RunAsync(repo.Root, null, Toys, "delegate", "--mission", "too-long");

        plan.ExitCode.ShouldBe(0, plan.All);
        JsonDocument.Parse(plan.Output).RootElement.EnumerateArray().Select(m => m.GetProperty("kind").GetString()).ShouldBe(["greeting", "greeting"]);
        greet.ExitCode.ShouldBe(0, greet.All);
        repo.Git("show", "loops/greet:GREETING.md").ShouldBe("hello from a toy\n");
        var list = JsonDocument.Parse((await CliRunner.RunAsync(repo.Root, "review", "list", "--json")).Output).RootElement;
        list.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ShouldBe(["greet"]);
        tooLong.ExitCode.ShouldBe(ExitCodes.MissionFailed, tooLong.All);
        tooLong.All.ShouldContain("word-limit");
        tooLong.All.ShouldContain("11 words; the limit is 10");
    }

    /// <summary>The toy section's settings: what to write and where.</summary>
    private sealed record Greeting(string Text, string File) : IBriefSettings<Greeting>
    {
        public static Greeting Default { get; } = new("", "GREETING.md");
    }

    private sealed class GreetingSection : BriefSection<Greeting>
    {
        public override string Key => "greeting";

        public override string Description => "What a greeting mission writes.";

        public override IReadOnlyList<OptionSpec> Options { get; } =
        [
            new("text", OptionType.Text, "The greeting.") { Required = true, Example = "hello" },
            new("file", OptionType.Text, "The file to write (default GREETING.md)."),
        ];

        protected override Greeting BindSettings(OptionValues values) => new(values.Text("text") ?? "", values.Text("file") ?? Greeting.Default.File);
    }

    /// <summary>A toy kind: writes its greeting into a file of the worktree.</summary>
    private sealed class GreetingToil : IToil
    {
        public string Kind => "greeting";

        public string Summary => "Writes a greeting (a test's toy kind).";

        public BriefSection Section { get; } = new GreetingSection();

        public async Task<ToilResult> ExecuteAsync(ToilContext context, CancellationToken cancellationToken)
        {
            var greeting = context.Brief.SettingsOf<Greeting>();
            await File.WriteAllTextAsync(Path.Combine(context.WorktreePath, greeting.File), greeting.Text + "\n", cancellationToken);
            return ToilResult.Success($"wrote {greeting.File}");
        }
    }

    /// <summary>A toy gate: the changed files together have at most max-words words.</summary>
    private sealed class WordLimitGate : IGate
    {
        public string Name => "word-limit";

        public string Summary => "The change has at most max-words words (a test's toy gate).";

        public IReadOnlyList<OptionSpec> Options { get; } = [new("max-words", OptionType.PositiveInt, "Most words the changed files may hold.")];

        public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            var limit = spec.Values.WholeNumber("max-words") ?? 100;
            var words = 0;
            foreach (var change in context.Changes)
            {
                var text = await File.ReadAllTextAsync(Path.Combine(context.WorktreePath, change.Path), cancellationToken);
                words += text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            }

            return words <= limit
                ? new GateResult(Name, GateStatus.Passed, spec.Required, stopwatch.Elapsed, $"{words} words", [])
                : new GateResult(Name, GateStatus.Failed, spec.Required, stopwatch.Elapsed, $"{words} words; the limit is {limit}", [Diagnostic.Error("EL9001", $"{words} words; the limit is {limit}.")]);
        }
    }
}
