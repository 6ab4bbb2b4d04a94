using System.Text.Json.Nodes;

namespace ExecutionLoops.Briefs;

/// <summary>JSON Schema fragments generated from option declarations, so the schema cannot drift from the parser.</summary>
internal static class OptionSchema
{
    private const string SizePattern = @"^\d+(\.\d+)?\s*(B|KB|K|KiB|MB|M|MiB|GB|G|GiB|b|kb|k|kib|mb|m|mib|gb|g|gib)?$";
    private const string DurationPattern = @"^((\d+(\.\d+)?(ms|d|h|m|s))+|\d{1,2}:\d{2}(:\d{2})?)$";

    /// <summary>A mapping of the options, nothing else allowed; required options listed as required.</summary>
    public static JsonObject Mapping(string description, IReadOnlyList<OptionSpec> options, params OptionSpec[] extra)
    {
        var properties = new JsonObject();
        foreach (var option in extra.Concat(options))
        {
            properties[option.Name] = Value(option);
        }

        var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["description"] = description, ["properties"] = properties };
        if (options.Where(o => o.Required).Select(o => (JsonNode)o.Name).ToArray() is { Length: > 0 } required)
        {
            schema["required"] = new JsonArray(required);
        }

        return schema;
    }

    /// <summary>The schema of one option's value.</summary>
    public static JsonObject Value(OptionSpec option)
    {
        var schema = option.Type switch
        {
            OptionType.Bool => new JsonObject { ["type"] = "boolean" },
            OptionType.PositiveInt => new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
            OptionType.Count => new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
            OptionType.Number => new JsonObject { ["type"] = "number" },
            OptionType.Size => new JsonObject { ["type"] = new JsonArray("string", "integer"), ["pattern"] = SizePattern },
            OptionType.Duration => new JsonObject { ["type"] = "string", ["pattern"] = DurationPattern },
            OptionType.TextList => new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }) },
            _ => new JsonObject { ["type"] = "string" },
        };
        schema["description"] = option.Description;
        return schema;
    }
}
