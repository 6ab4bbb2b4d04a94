using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>The <c>format:</c> section of a format mission: which fixes apply.</summary>
internal sealed class FormatSection : BriefSection<FormatSettings>
{
    /// <summary>The one instance.</summary>
    public static FormatSection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "format";

    /// <inheritdoc />
    public override string Description => "What a format mission fixes.";

    /// <inheritdoc />
    public override JsonObject Schema() => SectionSchema.Load(this);

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node)
    {
        string[] modes = ["auto", "whitespace", "style", "all"];
        var text = reader.String(node, "format");
        var index = text is null ? 0 : Array.IndexOf(modes, text);
        if (index < 0)
        {
            reader.Error(DiagnosticCodes.InvalidValue, node, $"'format' must be one of {string.Join(", ", modes)}, not '{text}'.", Suggest.DidYouMean(text!, modes) ?? "auto picks the cheapest mode that applies the .editorconfig.");
            return FormatSettings.Default;
        }

        return new FormatSettings((FormatMode)index);
    }
}
