using System.Reflection;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Diagnostics;

public sealed class DiagnosticCodesTests
{
    private static IReadOnlyList<string> Codes() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

    [Fact]
    public void Codes_AreUniqueAndWellFormed()
    {
        var codes = Codes();

        codes.Distinct().Count().ShouldBe(codes.Count);
        codes.ShouldAllBe(code => System.Text.RegularExpressions.Regex.IsMatch(code, "^EL[1-7][0-9]{3}$"));
    }

    [Fact]
    public void Codes_AreAllDocumentedForUsers()
    {
        var page = File.ReadAllText(Path.Combine(TestSupport.TempGitRepo.SourceRoot(), "docs", "diagnostics.md"));

        Codes().Where(code => !page.Contains($"| {code} |", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public void ToString_IsTheCanonicalCompilerForm()
    {
        Diagnostic.Error("EL1004", "Unknown key 'x'.", "a.md", 3, 5, "Did you mean 'y'?").ToString().ShouldBe("a.md(3,5): error EL1004: Unknown key 'x'. Did you mean 'y'?");
        Diagnostic.Warning("EL1020", "No criteria.", "a.md").ToString().ShouldBe("a.md: warning EL1020: No criteria.");
        Diagnostic.Error("EL2001", "Not a repo.").ToString().ShouldBe("loops: error EL2001: Not a repo.");
    }
}
