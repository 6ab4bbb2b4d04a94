using System.Globalization;
using System.Text.Json;
using ExecutionLoops.Planning;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.GitHub.Actions;

/// <summary>
/// <c>loops plan --format github-matrix</c>: <c>{"include":[{"mission":"id","kind":"…"}…]}</c> of the due missions,
/// the shape of a GitHub Actions <c>strategy.matrix</c>, also set as the step outputs <c>matrix</c> and <c>count</c>.
/// </summary>
internal sealed class GitHubMatrixPlanFormat : IPlanFormat
{
    /// <inheritdoc />
    public string Name => "github-matrix";

    /// <inheritdoc />
    public string Description => "github-matrix: {\"include\":[{\"mission\":\"id\"}…]} of the due missions, for a GitHub Actions job matrix";

    /// <inheritdoc />
    public void Write(IReadOnlyList<PlannedMission> plan, TextWriter output, IHostReporter host)
    {
        var due = plan.Where(p => p.Due).ToList();
        var matrix = new { include = due.Select(p => new { mission = p.Brief.Id, kind = p.Brief.Kind }) };
        var text = JsonSerializer.Serialize(matrix, LoopsJson.Compact);
        output.WriteLine(text);
        host.Output("matrix", text);
        host.Output("count", due.Count.ToString(CultureInfo.InvariantCulture));
    }
}
