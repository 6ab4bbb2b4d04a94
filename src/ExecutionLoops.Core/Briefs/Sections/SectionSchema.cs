using System.Text.Json.Nodes;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>Loads the JSON Schema of a built-in section, kept as <c>&lt;key&gt;.schema.json</c> beside its class.</summary>
internal static class SectionSchema
{
    public static JsonObject Load(BriefSection section)
    {
        var key = section.Key;
        using var stream = typeof(SectionSchema).Assembly.GetManifestResourceStream($"{section.GetType().Namespace}.{key}.schema.json")
            ?? throw new InvalidOperationException($"The schema of the '{key}' section is missing from the build.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
