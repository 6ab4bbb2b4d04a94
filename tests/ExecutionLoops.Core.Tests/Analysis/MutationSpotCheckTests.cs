using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Analysis;

public sealed class MutationSpotCheckTests
{
    [Theory]
    [InlineData("    public static int Sub(int a, int b) => a - b;", "-", "    public static int Sub(int a, int b) => a + b;")]
    [InlineData("        if (count == 0) // never == here", "==", "        if (count != 0) // never == here")]
    [InlineData("        return ok && ready;", "&&", "        return ok || ready;")]
    [InlineData("        return true;", "true", "        return false;")]
    public void Find_FlipsTheFirstOperatorOfTheMember(string line, string before, string mutated)
    {
        var member = new UncoveredMember("a.cs", 2, "C.M", 1, 1);

        var (mutant, text) = MutationSpotCheck.Find(member, ["class C {", line, "}"])!.Value;

        (mutant.Line, mutant.Before, text).ShouldBe((2, before, mutated));
    }

    [Fact]
    public void Find_SkipsMembersWithNothingToFlip() =>
        MutationSpotCheck.Find(new UncoveredMember("a.cs", 1, "C.M", 1, 1), ["    public void M() => Console.WriteLine(\"x\");"]).ShouldBeNull();

    [Fact]
    public void NewlyCovered_IsCoveredNowAndNotBefore_InScope()
    {
        var before = new CoverageReport(new Dictionary<string, IReadOnlyDictionary<int, bool>>(), [new("src/a.cs", 1, "A.Old", 1, 1), new("src/a.cs", 5, "A.New", 0, 2)]);
        var after = new CoverageReport(new Dictionary<string, IReadOnlyDictionary<int, bool>>(), [new("src/a.cs", 1, "A.Old", 1, 1), new("src/a.cs", 5, "A.New", 2, 2), new("other/b.cs", 1, "B.X", 1, 1)]);

        MutationSpotCheck.NewlyCovered(before, after, new ScopeMatcher(new MissionScope(["src/**"], []))).Select(m => m.Member).ShouldBe(["A.New"]);
    }
}
