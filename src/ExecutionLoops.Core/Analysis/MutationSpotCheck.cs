using System.Text.RegularExpressions;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Analysis;

/// <summary>A deliberate bug put into one line.</summary>
/// <param name="File">Repo-relative file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Member">The member it breaks.</param>
/// <param name="Before">The original text of the operator.</param>
/// <param name="After">What it was replaced with.</param>
internal sealed record Mutant(string File, int Line, string Member, string Before, string After);

/// <summary>
/// The cheap check that new tests test something: for a few members the change newly covered, flip one operator
/// (<c>+</c>/<c>-</c>, <c>==</c>/<c>!=</c>, <c>&lt;</c>/<c>&gt;=</c>, <c>&amp;&amp;</c>/<c>||</c>, <c>true</c>/<c>false</c>),
/// run the tests, and expect them to fail. The file is always restored.
/// </summary>
internal static partial class MutationSpotCheck
{
    private static readonly (Regex Pattern, string Replacement)[] Operators =
    [
        (new(@"(?<=\s)\+(?=\s)"), "-"), (new(@"(?<=\s)-(?=\s)"), "+"), (new(@"(?<=\s)\*(?=\s)"), "/"),
        (new("=="), "!="), (new("!="), "=="), (new(@"(?<=\s)<(?=\s)"), ">="), (new(@"(?<=\s)>(?=\s)"), "<="),
        (new("&&"), "||"), (new(@"\|\|"), "&&"), (new(@"\btrue\b"), "false"), (new(@"\bfalse\b"), "true"),
    ];

    /// <summary>The members newly covered by the change, in scope, most lines first.</summary>
    public static IReadOnlyList<UncoveredMember> NewlyCovered(CoverageReport? before, CoverageReport after, ScopeMatcher scope) =>
        after.Members
            .Where(m => m.Covered > 0 && scope.IsInScope(m.File) && !(before?.Members.Any(b => b.File == m.File && b.Member == m.Member && b.Covered > 0) ?? false))
            .OrderByDescending(m => m.Lines).ThenBy(m => m.File, StringComparer.Ordinal).ThenBy(m => m.Line)
            .ToList();

    /// <summary>The first mutation possible in the member's first lines, or null.</summary>
    public static (Mutant Mutant, string MutatedLine)? Find(UncoveredMember member, IReadOnlyList<string> lines)
    {
        for (var number = member.Line; number <= Math.Min(lines.Count, member.Line + 12); number++)
        {
            var text = lines[number - 1];
            var code = Comment().Replace(text, "");
            foreach (var (pattern, replacement) in Operators)
            {
                var match = pattern.Match(code);
                if (match.Success && !code.TrimStart().StartsWith("using", StringComparison.Ordinal))
                {
                    return (new Mutant(member.File, number, member.Member, match.Value, replacement), string.Concat(text.AsSpan(0, match.Index), replacement, text.AsSpan(match.Index + match.Length)));
                }
            }
        }

        return null;
    }

    /// <summary>Runs the tests against each mutant; returns the mutants the tests did not catch and how many were tried.</summary>
    public static async Task<(IReadOnlyList<Mutant> Survivors, int Tried)> RunAsync(ProcessRunner processes, string root, string solution, IReadOnlyList<UncoveredMember> members, int limit, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        var survivors = new List<Mutant>();
        var tried = 0;
        foreach (var member in members)
        {
            if (tried >= limit)
            {
                break;
            }

            var path = Path.Combine(root, member.File);
            var original = await File.ReadAllTextAsync(path, cancellationToken);
            var lines = original.Split('\n');
            if (Find(member, lines) is not var (mutant, mutated))
            {
                continue;
            }

            lines[mutant.Line - 1] = mutated;
            try
            {
                await File.WriteAllTextAsync(path, string.Join('\n', lines), cancellationToken);
                log($"mutant: {mutant.File}:{mutant.Line} {mutant.Before} → {mutant.After} in {mutant.Member}");
                var result = await processes.RunAsync(DotnetCli.Command(root, "test", solution, "-nologo") with { Timeout = timeout, OnOutputLine = log }, cancellationToken);
                if (result.CombinedOutput.Contains("error CS", StringComparison.Ordinal))
                {
                    continue; // the mutant does not compile: it says nothing about the tests
                }

                tried++;
                if (result.Succeeded)
                {
                    survivors.Add(mutant);
                }
            }
            finally
            {
                await File.WriteAllTextAsync(path, original, CancellationToken.None);
            }
        }

        return (survivors, tried);
    }

    [GeneratedRegex(@"//.*$", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();
}
