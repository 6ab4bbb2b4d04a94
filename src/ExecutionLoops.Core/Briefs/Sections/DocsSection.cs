using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>The <c>docs:</c> section of a docs mission: marker regions to refresh and an API reference to generate.</summary>
internal sealed class DocsSection : BriefSection<DocsSettings>
{
    internal static readonly string[] Keys = ["regions", "api"];
    internal static readonly string[] ApiKeys = ["output"];
    internal static readonly string[] RegionKeys = ["file", "region", "command", "source", "fence"];

    /// <summary>The one instance.</summary>
    public static DocsSection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "docs";

    /// <inheritdoc />
    public override string Description => "What a docs mission keeps up to date.";

    /// <inheritdoc />
    public override (string Message, string Hint)? WhenMissing =>
        ("A 'docs' mission needs 'docs:' with regions to refresh or an api reference to generate.", "Add a region: docs: {regions: [{file: README.md, region: cli-help, command: \"loops --help\"}]}.");

    /// <inheritdoc />
    public override JsonObject Schema() => SectionSchema.Load(this);

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "docs") is not { } mapping)
        {
            return DocsSettings.None;
        }

        var entries = reader.Entries(mapping, Keys, "'docs'");
        string? apiOutput = null;
        if (entries.TryGetValue("api", out var apiEntry) && reader.Mapping(apiEntry.Value, "docs.api") is { } api)
        {
            var apiEntries = reader.Entries(api, ApiKeys, "'docs.api'");
            apiOutput = apiEntries.TryGetValue("output", out var output) ? reader.String(output.Value, "output") : null;
            if (apiOutput is null)
            {
                reader.Error(DiagnosticCodes.MissingValue, apiEntry.Value, "'docs.api' needs 'output': the folder for the API reference pages.", "Write it as docs: {api: {output: docs/api}}.");
            }
            else
            {
                BriefParser.CheckInsideRepo(reader, apiEntries["output"].Value, apiOutput, "docs.api.output");
            }
        }

        if (!entries.TryGetValue("regions", out var regionsEntry))
        {
            return DocsSettings.None with { ApiOutput = apiOutput };
        }

        if (regionsEntry.Value is not YamlSequenceNode sequence)
        {
            reader.Error(DiagnosticCodes.WrongType, regionsEntry.Value, "'docs.regions' must be a list.", "Write it as indented '- file: README.md' items.");
            return DocsSettings.None;
        }

        var regions = new List<DocsRegion>();
        foreach (var item in sequence.Children)
        {
            if (reader.Mapping(item, "a docs region") is not { } regionMap)
            {
                continue;
            }

            var region = reader.Entries(regionMap, RegionKeys, "a docs region");
            string? Text(string key) => region.TryGetValue(key, out var entry) ? reader.String(entry.Value, key) : null;
            var (file, name, command, source) = (Text("file"), Text("region"), Text("command"), Text("source"));
            if (file is null || name is null || (command is null) == (source is null))
            {
                reader.Error(DiagnosticCodes.MissingValue, item, "A docs region needs 'file', 'region' and exactly one of 'command' or 'source'.", "Write it as {file: README.md, region: cli-help, command: \"loops --help\"}.");
                continue;
            }

            BriefParser.CheckInsideRepo(reader, region["file"].Value, file, "docs.regions.file");
            if (source is not null)
            {
                BriefParser.CheckInsideRepo(reader, region["source"].Value, source, "docs.regions.source");
            }

            regions.Add(new DocsRegion(file, name, command, source, Text("fence")));
        }

        return new DocsSettings(regions) { ApiOutput = apiOutput };
    }
}
