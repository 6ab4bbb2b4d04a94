using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>The <c>analyze:</c> section of an analyze mission: the rules whose code fixes are applied.</summary>
internal sealed class AnalyzeSection : BriefSection<AnalyzeSettings>
{
    internal static readonly string[] Keys = ["diagnostics", "severity"];

    /// <summary>The one instance.</summary>
    public static AnalyzeSection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "analyze";

    /// <inheritdoc />
    public override string Description => "What an analyze mission fixes.";

    /// <inheritdoc />
    public override JsonObject Schema() => SectionSchema.Load(this);

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "analyze") is not { } mapping)
        {
            return AnalyzeSettings.None;
        }

        var entries = reader.Entries(mapping, Keys, "'analyze'");
        var diagnostics = entries.TryGetValue("diagnostics", out var ids) ? reader.StringList(ids.Value, "diagnostics") : [];
        var severity = entries.TryGetValue("severity", out var severityEntry) ? reader.String(severityEntry.Value, "severity") ?? "info" : "info";
        if (severity is not ("info" or "warn" or "error"))
        {
            reader.Error(DiagnosticCodes.InvalidValue, severityEntry.Value, $"'severity' must be info, warn or error, not '{severity}'.", Suggest.DidYouMean(severity, ["info", "warn", "error"]));
        }

        return new AnalyzeSettings(diagnostics, severity);
    }
}
