using System.Text.Json.Nodes;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>Loads the JSON Schema of a built-in section, kept as a JSON file beside its class.</summary>
internal static class SectionSchema
{
    public static JsonObject Load(string key)
    {
        using var stream = typeof(SectionSchema).Assembly.GetManifestResourceStream($"ExecutionLoops.Briefs.Sections.{key}.schema.json")
            ?? throw new InvalidOperationException($"The schema of the '{key}' section is missing from the build.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
