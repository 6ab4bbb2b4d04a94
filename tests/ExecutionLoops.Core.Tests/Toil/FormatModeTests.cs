using ExecutionLoops.Briefs;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Core.Tests.Toil;

public sealed class FormatModeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-format-mode-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Auto_IsWhitespace_WhenNoEditorconfigSetsASeverity()
    {
        File.WriteAllText(Path.Combine(_root, ".editorconfig"), "[*.cs]\nindent_size = 4\ncsharp_new_line_before_open_brace = all\n");

        FormatToil.Choose(FormatMode.Auto, _root).Mode.ShouldBe(FormatMode.Whitespace);
    }

    [Theory]
    [InlineData("dotnet_diagnostic.CA1822.severity = warning")]
    [InlineData("csharp_style_var_elsewhere = true:error")]
    [InlineData("dotnet_analyzer_diagnostic.category-Style.severity = warning")]
    public void Auto_LoadsTheSolution_WhenAnEditorconfigSetsStyleOrAnalyzerSeverities(string line)
    {
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", ".editorconfig"), $"[*.cs]\n{line}\n");

        var (mode, why) = FormatToil.Choose(FormatMode.Auto, _root);

        mode.ShouldBe(FormatMode.All);
        why.ShouldContain("src/.editorconfig");
    }

    [Fact]
    public void AnExplicitMode_IsTakenAsItIs()
    {
        File.WriteAllText(Path.Combine(_root, ".editorconfig"), "[*.cs]\ndotnet_diagnostic.CA1822.severity = warning\n");

        FormatToil.Choose(FormatMode.Whitespace, _root).Mode.ShouldBe(FormatMode.Whitespace);
    }
}
