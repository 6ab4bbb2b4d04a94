using ExecutionLoops.Analysis;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Core.Tests.Analysis;

public sealed class SarifLogReaderTests
{
    [Fact]
    public void Read_TakesRuleLevelMessageAndRelativeLocation_AndLeavesOutWhatTheSourceSuppressed()
    {
        var folder = Directory.CreateTempSubdirectory("loops-sarif-test-").FullName;
        var log = Path.Combine(folder, "a.sarif");
        File.WriteAllText(log, """
            {"version": "2.1.0", "runs": [{"results": [
              {"ruleId": "CA1822", "level": "warning", "message": {"text": "Member 'M' does not access instance data"},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "FILE_URI"}, "region": {"startLine": 7, "startColumn": 17}}}]},
              {"ruleId": "CS8019", "level": "note", "message": {"text": "Unnecessary using"}},
              {"ruleId": "CA1822", "level": "warning", "message": {"text": "Member 'N' does not access instance data"}, "suppressions": [{"kind": "inSource"}],
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "FILE_URI"}, "region": {"startLine": 12, "startColumn": 17}}}]}
            ]}]}
            """.Replace("FILE_URI", new Uri(Path.Combine(folder, "src", "A.cs")).AbsoluteUri, StringComparison.Ordinal));

        var findings = SarifLogReader.Read([log, log], folder);
        Directory.Delete(folder, recursive: true);

        findings.Count.ShouldBe(2);
        findings.ShouldContain(new AnalyzerFinding("CA1822", "warning", "Member 'M' does not access instance data", "src/A.cs", 7, 17));
        findings.ShouldContain(new AnalyzerFinding("CS8019", "note", "Unnecessary using", "", 0, 0));
    }

    [Fact]
    public void ReadDiagnostics_GivesTheBuildsErrorsAndWarningsInOrder_WithoutSuppressedResultsOrNotes()
    {
        var folder = Directory.CreateTempSubdirectory("loops-sarif-test-").FullName;
        var log = Path.Combine(folder, "build.sarif");
        File.WriteAllText(log, """
            {"version": "2.1.0", "runs": [{"results": [
              {"ruleId": "CS0168", "level": "warning", "message": {"text": "The variable 'x' is declared but never used"},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "FILE_URI"}, "region": {"startLine": 3, "startColumn": 9}}}]},
              {"ruleId": "CS0103", "level": "error", "message": {"text": "The name 'oops' does not exist in the current context"},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "FILE_URI"}, "region": {"startLine": 7, "startColumn": 48}}}]},
              {"ruleId": "CA1822", "level": "warning", "message": {"text": "Mark members as static"}, "suppressions": [{"kind": "inSource"}]},
              {"ruleId": "CS8019", "level": "note", "message": {"text": "Unnecessary using"}}
            ]}, {"results": [
              {"message": {"text": "No rule, no level, no location"}}
            ]}]}
            """.Replace("FILE_URI", new Uri(Path.Combine(folder, "src", "Calc.cs")).AbsoluteUri, StringComparison.Ordinal));

        var diagnostics = SarifLogReader.ReadDiagnostics(log, folder);
        Directory.Delete(folder, recursive: true);

        diagnostics.ShouldBe(
        [
            Diagnostic.Warning(DiagnosticCodes.BuildFailed, "CS0168: The variable 'x' is declared but never used", "src/Calc.cs", 3, 9),
            Diagnostic.Error(DiagnosticCodes.BuildFailed, "CS0103: The name 'oops' does not exist in the current context", "src/Calc.cs", 7, 48),
            Diagnostic.Warning(DiagnosticCodes.BuildFailed, "?: No rule, no level, no location"),
        ]);
    }

    [Fact]
    public void NewSince_IgnoresMovedCode_ButCountsASecondCopy()
    {
        var baseline = new[] { Finding("CA1822", "a.cs", 10), Finding("CA1805", "b.cs", 3) };
        var current = new[] { Finding("CA1822", "a.cs", 42), Finding("CA1822", "a.cs", 50), Finding("CA2000", "b.cs", 3) };

        var added = SarifLogReader.NewSince(baseline, current);

        added.Select(f => (f.RuleId, f.Line)).ShouldBe([("CA1822", 50), ("CA2000", 3)]);
    }

    [Fact]
    public void Write_ProducesSarifWithRelativeUris()
    {
        var text = SarifLogReader.Write([Finding("CA1822", "src/a.cs", 4)]);

        text.ShouldContain("\"version\": \"2.1.0\"");
        text.ShouldContain("\"uri\": \"src/a.cs\"");
        text.ShouldContain("\"startLine\": 4");
    }

    private static AnalyzerFinding Finding(string rule, string path, int line) => new(rule, "warning", $"{rule} message", path, line, 1);
}
