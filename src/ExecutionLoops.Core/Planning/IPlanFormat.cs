using ExecutionLoops.Reporting;

namespace ExecutionLoops.Planning;

/// <summary>
/// A machine-readable shape of the plan for a CI host's job fan-out (<c>loops plan --format NAME</c>): GitHub's
/// <c>{"include":[…]}</c> matrix, Azure Pipelines' job-name map. A host assembly registers its own through
/// <see cref="Execution.LoopsExtensions.PlanFormats"/>; the plan command knows none of them by name.
/// </summary>
public interface IPlanFormat
{
    /// <summary>The value of <c>--format</c>, e.g. <c>github-matrix</c>.</summary>
    string Name { get; }

    /// <summary>One line for the command's help: what the format writes.</summary>
    string Description { get; }

    /// <summary>Writes the due missions of <paramref name="plan"/> to <paramref name="output"/> and sets the host's outputs (e.g. <c>matrix</c>, <c>count</c>).</summary>
    void Write(IReadOnlyList<PlannedMission> plan, TextWriter output, IHostReporter host);
}
