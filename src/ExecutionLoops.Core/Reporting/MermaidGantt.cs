using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExecutionLoops.Reporting;

/// <summary>Writes stage timings as a Mermaid <c>gantt</c> chart (dateFormat x: Unix milliseconds).</summary>
internal static partial class MermaidGantt
{
    /// <summary>A fenced Mermaid block with one section per mission and one bar per stage; failed stages are marked crit.</summary>
    public static string Write(string title, IEnumerable<(string Section, IReadOnlyList<StageTiming> Stages)> sections)
    {
        var text = new StringBuilder();
        text.AppendLine("```mermaid");
        text.AppendLine("gantt");
        text.AppendLine(CultureInfo.InvariantCulture, $"    title {Safe(title)}");
        text.AppendLine("    dateFormat x");
        text.AppendLine("    axisFormat %M:%S");
        var n = 0;
        foreach (var (section, stages) in sections)
        {
            if (stages.Count == 0)
            {
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"    section {Safe(section)}");
            foreach (var stage in stages)
            {
                var start = stage.Started.ToUnixTimeMilliseconds();
                var end = Math.Max(stage.Finished.ToUnixTimeMilliseconds(), start + 1);
                var tag = stage.Succeeded ? "" : "crit, ";
                text.AppendLine(CultureInfo.InvariantCulture, $"    {stage.Stage.ToString().ToLowerInvariant()} {stage.Duration.TotalSeconds:0.0}s :{tag}s{n++}, {start}, {end}");
            }
        }

        text.AppendLine("```");
        return text.ToString();
    }

    /// <summary>Mermaid task and section names may not hold ':' or '#', and ';' ends a statement.</summary>
    private static string Safe(string text) => Unsafe().Replace(text, " ").Trim();

    [GeneratedRegex("[:#;\r\n]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();
}
