using System.Globalization;
using System.Text;
using System.Text.Json;
using ExecutionLoops.Planning;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.AzureDevOps.Pipelines;

/// <summary>
/// <c>loops plan --format azure-matrix</c>: the due missions as an Azure Pipelines <c>strategy.matrix</c>, a JSON object
/// of job names to variables (<c>{"format_code":{"mission":"format-code","kind":"format"}}</c>), also set as the output
/// variables <c>matrix</c> and <c>count</c>. Job names must be identifiers (letters, digits, '_', not starting with a digit).
/// </summary>
internal sealed class AzureMatrixPlanFormat : IPlanFormat
{
    /// <inheritdoc />
    public string Name => "azure-matrix";

    /// <inheritdoc />
    public string Description => "azure-matrix: {\"job_name\":{\"mission\":\"id\"}…} of the due missions, for an Azure Pipelines strategy.matrix";

    /// <inheritdoc />
    public void Write(IReadOnlyList<PlannedMission> plan, TextWriter output, IHostReporter host)
    {
        var due = plan.Where(p => p.Due).ToList();
        var matrix = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var mission in due)
        {
            var name = JobName(mission.Brief.Id);
            for (var n = 2; matrix.ContainsKey(name); n++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{JobName(mission.Brief.Id)}_{n}");
            }

            matrix[name] = new Dictionary<string, string>(StringComparer.Ordinal) { ["mission"] = mission.Brief.Id, ["kind"] = mission.Brief.Kind };
        }

        var text = JsonSerializer.Serialize(matrix, LoopsJson.Compact);
        output.WriteLine(text);
        host.Output("matrix", text);
        host.Output("count", due.Count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A mission id as a job name: every character that is not a letter or digit becomes '_', and a leading digit gets a prefix.</summary>
    public static string JobName(string missionId)
    {
        var name = new StringBuilder(missionId.Length + 2);
        foreach (var c in missionId)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "m_" + name : name.ToString();
    }
}
