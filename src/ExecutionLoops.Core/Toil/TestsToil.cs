using System.Globalization;
using System.Text;
using ExecutionLoops.Agents;
using ExecutionLoops.Analysis;
using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Toil;

/// <summary>
/// <c>kind: tests</c>: test creation by an AI agent. Before the agent starts, the base commit's coverage is
/// measured (coverlet, Cobertura) and the least-covered members of the scope go into the prompt; the gates
/// then require the tests to pass and coverage not to drop (add <c>coverage</c> and <c>test</c> to the brief).
/// </summary>
internal sealed class TestsToil(Func<AgentSettings, IAgentBackend>? backends = null) : AgentToil(backends)
{
    private const int MembersShown = 40;

    /// <inheritdoc />
    public override string Kind => "tests";

    /// <inheritdoc />
    public override string Summary => "Test creation by a coding agent for the code in scope.";

    /// <inheritdoc />
    protected override async Task<string?> PrepareAsync(ToilContext context, CancellationToken cancellationToken)
    {
        var baseCommit = context.BaseCommit ?? "HEAD";
        var solution = SolutionLocator.Locate(context.WorktreePath, context.Brief.Solution ?? context.Config.Solution);
        var coverage = CoverageBaseline.Cached(context.WorktreePath, baseCommit);
        if (coverage is null && context.Attempt == 1)
        {
            // The worktree is still the base commit: measure it here and keep it as the baseline.
            (coverage, _) = await CoverageReport.CollectAsync(context.Processes, context.TempDirectory ?? Path.GetTempPath(), context.WorktreePath, solution, context.Timeout, context.Log.Write, cancellationToken);
            if (coverage is not null)
            {
                CoverageBaseline.Store(context.WorktreePath, baseCommit, coverage);
            }
        }

        var text = new StringBuilder("## Test creation\n\nWrite unit tests (in the existing test projects, with their framework and assertion style) for the code in scope. Tests must pass, and must fail if the code under test were broken.\n");
        if (coverage is null)
        {
            text.AppendLine().AppendLine("Coverage could not be measured (do the test projects reference coverlet.collector?); cover the public members of the scope.");
            return text.ToString();
        }

        var scope = new ScopeMatcher(context.Brief.Scope);
        var uncovered = coverage.Uncovered(scope, MembersShown);
        text.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture, $"Line coverage of the scope now: {coverage.Percent(scope):0.0}%. The least-covered members:")).AppendLine();
        foreach (var member in uncovered)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- {member.File}:{member.Line} {member.Member} — {member.Covered} of {member.Lines} lines covered"));
        }

        return text.ToString();
    }
}
