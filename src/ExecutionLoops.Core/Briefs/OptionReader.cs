using System.Globalization;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Reads a flat mapping of options against their declarations: unknown keys get a suggestion, each value is checked
/// against its type, and a missing required option is named with an example. Every problem carries file and line.
/// </summary>
internal static class OptionReader
{
    /// <param name="reader">Collects the problems.</param>
    /// <param name="node">The options mapping, or null when none were written.</param>
    /// <param name="owner">Where a missing option is reported when <paramref name="node"/> is null.</param>
    /// <param name="name">The key the options belong to (a gate's or a section's name).</param>
    /// <param name="what">The owner in messages: "the 'diff' gate".</param>
    /// <param name="specs">The declared options.</param>
    /// <param name="extraKeys">Keys accepted besides the declared ones (a gate's <c>required</c>).</param>
    public static Dictionary<string, string> Read(YamlNodeReader reader, YamlNode? node, YamlNode owner, string name, string what, IReadOnlyList<OptionSpec> specs, IReadOnlyCollection<string>? extraKeys = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not null && !YamlNodeReader.IsNull(node) && reader.Mapping(node, name) is { } mapping)
        {
            var allowed = specs.Select(s => s.Name).Concat(extraKeys ?? []).ToList();
            foreach (var (key, (_, value)) in reader.Entries(mapping, allowed, what))
            {
                var spec = specs.FirstOrDefault(s => s.Name == key);
                if (Read(reader, value, key, spec?.Type ?? OptionType.Text) is { } text)
                {
                    values[key] = text;
                }
            }
        }

        foreach (var missing in specs.Where(s => s.Required && !values.ContainsKey(s.Name)))
        {
            var example = missing.Example is { } e ? $"Write it as {{{name}: {{{missing.Name}: {e}}}}}." : $"Add '{missing.Name}:'.";
            reader.Error(DiagnosticCodes.MissingValue, node is null || YamlNodeReader.IsNull(node) ? owner : node, $"{char.ToUpperInvariant(what[0])}{what[1..]} needs a '{missing.Name}' option.", example);
        }

        return values;
    }

    /// <summary>The value as text when it has the type; an EL error at the value otherwise.</summary>
    private static string? Read(YamlNodeReader reader, YamlNode value, string name, OptionType type)
    {
        if (type == OptionType.TextList && value is YamlSequenceNode)
        {
            return string.Join('\n', reader.StringList(value, name));
        }

        var text = reader.String(value, name);
        if (text is null)
        {
            return null;
        }

        var valid = type switch
        {
            OptionType.Bool => reader.Bool(value, name) is not null,
            OptionType.PositiveInt => reader.PositiveInt(value, name) is not null,
            OptionType.Size => reader.Size(value, name) is not null,
            OptionType.Duration => reader.Duration(value, name) is not null,
            OptionType.Count => WholeNumber(reader, value, name, text),
            OptionType.Number => Number(reader, value, name, text),
            _ => true,
        };
        return valid ? text : null;
    }

    private static bool WholeNumber(YamlNodeReader reader, YamlNode value, string name, string text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0)
        {
            return true;
        }

        reader.Error(DiagnosticCodes.WrongType, value, $"'{name}' must be a whole number (0 or more), not '{text}'.");
        return false;
    }

    private static bool Number(YamlNodeReader reader, YamlNode value, string name, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return true;
        }

        reader.Error(DiagnosticCodes.WrongType, value, $"'{name}' must be a number, not '{text}'.");
        return false;
    }
}
