using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExecutionLoops.Briefs;

/// <summary>
/// The JSON Schemas of the brief front matter and the config, for editors (<c>loops schema mission|config</c>). The
/// fixed keys come from embedded files; the kinds, their sections and the gates with their options come from the
/// registered parts, so a part added to the registry is in the schema without another edit.
/// </summary>
public static class BriefSchemas
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The schema of a mission brief's front matter.</summary>
    public static string Mission(BriefVocabulary vocabulary)
    {
        var schema = Load("mission.schema.json");
        var properties = schema["properties"]!.AsObject();
        var kinds = vocabulary.Kinds.Values.OrderBy(k => k.Kind, StringComparer.Ordinal).ToList();
        properties["kind"] = new JsonObject
        {
            ["enum"] = new JsonArray([.. kinds.Select(k => (JsonNode)k.Kind)]),
            ["description"] = "The kind of toil. " + string.Join(" ", kinds.Select(k => $"{k.Kind}: {k.Summary}")),
        };
        foreach (var section in vocabulary.Sections.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            properties[section.Key] = section.Schema();
        }

        properties["gates"]!["items"] = GateItems(vocabulary);
        properties["notify"] = Notifications.NotifySection.Instance.Schema();
        return schema.ToJsonString(Indented);
    }

    /// <summary>The schema of <c>.loops/config.yml</c>.</summary>
    public static string Config(BriefVocabulary vocabulary)
    {
        var schema = Load("config.schema.json");
        schema["properties"]!["gates"]!["items"] = GateItems(vocabulary);
        schema["properties"]!["notify"] = Notifications.NotifySection.Instance.Schema();
        return schema.ToJsonString(Indented);
    }

    /// <summary>A gate is a name, or a one-key mapping of a name to its options.</summary>
    private static JsonObject GateItems(BriefVocabulary vocabulary)
    {
        var gates = vocabulary.Gates.Values.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        var choices = new JsonArray(new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray([.. gates.Where(g => !g.Options.Any(o => o.Required)).Select(g => (JsonNode)g.Name)]),
        });
        foreach (var gate in gates)
        {
            var options = OptionSchema.Mapping(gate.Summary, gate.Options, GateListReader.Required);
            var value = gate.Options.Any(o => o.Required) ? options : new JsonObject { ["description"] = gate.Summary, ["anyOf"] = new JsonArray(options, new JsonObject { ["type"] = "null" }) };
            choices.Add(new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["minProperties"] = 1,
                ["maxProperties"] = 1,
                ["properties"] = new JsonObject { [gate.Name] = value },
                ["required"] = new JsonArray(gate.Name),
            });
        }

        return new JsonObject { ["anyOf"] = choices };
    }

    private static JsonObject Load(string name)
    {
        using var stream = typeof(BriefSchemas).Assembly.GetManifestResourceStream($"ExecutionLoops.Briefs.Schemas.{name}")
            ?? throw new InvalidOperationException($"Embedded schema {name} is missing from the build.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
