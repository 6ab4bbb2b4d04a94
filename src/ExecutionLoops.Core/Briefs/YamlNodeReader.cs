using System.Globalization;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Reads typed values out of a YAML representation tree, collecting an EL diagnostic (with the file
/// line and column of the node) for every problem instead of stopping at the first.
/// </summary>
internal sealed class YamlNodeReader(string path, int lineOffset)
{
    public List<Diagnostic> Diagnostics { get; } = [];

    public void Error(string code, YamlNode? node, string message, string? hint = null) =>
        Diagnostics.Add(Diagnostic.Error(code, message, path, Line(node), Column(node), hint));

    public void Warning(string code, YamlNode? node, string message, string? hint = null) =>
        Diagnostics.Add(Diagnostic.Warning(code, message, path, Line(node), Column(node), hint));

    public int Line(YamlNode? node) => node is null ? 1 : (int)node.Start.Line + lineOffset;

    public static int Column(YamlNode? node) => node is null ? 1 : (int)node.Start.Column;

    /// <summary>The entries of a mapping keyed by name; unknown keys are reported with a suggestion.</summary>
    public Dictionary<string, (YamlNode Key, YamlNode Value)> Entries(YamlMappingNode mapping, IReadOnlyCollection<string> allowed, string where)
    {
        var entries = new Dictionary<string, (YamlNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                Error(DiagnosticCodes.UnknownKey, key, $"Unknown key '{name}' in {where}.", Suggest.DidYouMean(name, allowed) ?? $"Allowed keys: {string.Join(", ", allowed)}.");
                continue;
            }

            entries[name] = (key, value);
        }

        return entries;
    }

    public YamlMappingNode? Mapping(YamlNode node, string key)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        if (!IsNull(node))
        {
            Error(DiagnosticCodes.WrongType, node, $"'{key}' must be a mapping of keys and values.", $"Write it as '{key}:' followed by indented 'name: value' lines.");
        }

        return null;
    }

    public string? String(YamlNode node, string key)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value;
        }

        if (!IsNull(node))
        {
            Error(DiagnosticCodes.WrongType, node, $"'{key}' must be a single value, not a {Describe(node)}.");
        }

        return null;
    }

    public bool? Bool(YamlNode node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "yes" or "on")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE" or "no" or "off")
        {
            return false;
        }

        Error(DiagnosticCodes.WrongType, node, $"'{key}' must be true or false, not '{text}'.");
        return null;
    }

    public int? PositiveInt(YamlNode node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, node, $"'{key}' must be a positive whole number, not '{text}'.");
        return null;
    }

    public long? Size(YamlNode node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (ByteSize.TryParse(text, out var bytes))
        {
            return bytes;
        }

        Error(DiagnosticCodes.WrongType, node, $"'{key}' is not a size: '{text}'.", ByteSize.Examples);
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string key)
    {
        var text = String(node, key);
        if (text is null)
        {
            return null;
        }

        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(DiagnosticCodes.InvalidDuration, node, $"'{key}' is not a duration: '{text}'.", DurationParser.Examples);
        return null;
    }

    /// <summary>A list of strings; a single string where a list belongs is an error with the list syntax as hint.</summary>
    public IReadOnlyList<string> StringList(YamlNode node, string key)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(DiagnosticCodes.WrongType, node, $"'{key}' must be a list.", $"Write it as '{key}: [\"a\", \"b\"]' or as indented '- a' lines.");
            return [];
        }

        var items = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { } value } && !IsNull(item))
            {
                items.Add(value);
            }
            else
            {
                Error(DiagnosticCodes.WrongType, item, $"Each item of '{key}' must be a single value, not a {Describe(item)}.");
            }
        }

        return items;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar
        && (scalar.Value is null or "" or "~" or "null");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
