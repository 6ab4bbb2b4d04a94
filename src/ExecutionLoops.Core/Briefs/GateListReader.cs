using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>Reads a <c>gates:</c> list: names, or single-key mappings of a name to its options.</summary>
internal static class GateListReader
{
    public static IReadOnlyList<GateSpec> Read(YamlNodeReader reader, YamlNode node, BriefVocabulary vocabulary)
    {
        if (YamlNodeReader.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(DiagnosticCodes.WrongType, node, "'gates' must be a list.", "Write it as 'gates: [build, test, {diff: {max-lines: 400}}]'.");
            return [];
        }

        var gates = new List<GateSpec>();
        foreach (var item in sequence.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } name }:
                    if (Known(reader, item, name, vocabulary))
                    {
                        RequireOptions(reader, item, name, new Dictionary<string, string>());
                        gates.Add(GateSpec.Of(name));
                    }

                    break;
                case YamlMappingNode { Children.Count: 1 } mapping:
                    var (keyNode, optionsNode) = mapping.Children.First();
                    var gateName = (keyNode as YamlScalarNode)?.Value ?? "";
                    if (Known(reader, keyNode, gateName, vocabulary))
                    {
                        var options = ReadOptions(reader, optionsNode, gateName);
                        var required = true;
                        if (options.Remove("required", out var requiredText))
                        {
                            required = requiredText is not ("false" or "no" or "off");
                        }

                        RequireOptions(reader, keyNode, gateName, options);
                        gates.Add(new GateSpec(gateName, required, options));
                    }

                    break;
                default:
                    reader.Error(DiagnosticCodes.WrongType, item, "Each gate must be a name (build) or a name with options ({diff: {max-lines: 400}}).");
                    break;
            }
        }

        return gates;
    }

    private static bool Known(YamlNodeReader reader, YamlNode node, string name, BriefVocabulary vocabulary)
    {
        if (!BriefVocabulary.AllGates.Contains(name))
        {
            reader.Error(DiagnosticCodes.UnknownGate, node, $"Unknown gate '{name}'.", Suggest.DidYouMean(name, BriefVocabulary.AllGates) ?? $"Known gates: {string.Join(", ", BriefVocabulary.AllGates)}.");
            return false;
        }

        if (!vocabulary.Gates.Contains(name))
        {
            reader.Error(DiagnosticCodes.UnknownGate, node, $"The gate '{name}' is planned but not available in this version.", $"Available gates: {string.Join(", ", vocabulary.Gates.Order(StringComparer.Ordinal))}.");
            return false;
        }

        return true;
    }

    private static Dictionary<string, string> ReadOptions(YamlNodeReader reader, YamlNode node, string gate)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (YamlNodeReader.IsNull(node) || reader.Mapping(node, gate) is not { } mapping)
        {
            return options;
        }

        foreach (var (name, (_, value)) in reader.Entries(mapping, BriefKeys.GateOptions[gate], $"the '{gate}' gate"))
        {
            if (value is YamlSequenceNode)
            {
                options[name] = string.Join('\n', reader.StringList(value, name));
            }
            else if (reader.String(value, name) is { } text)
            {
                if (name is "max-files" or "max-lines")
                {
                    reader.PositiveInt(value, name);
                }
                else if (name == "max-bytes")
                {
                    reader.Size(value, name);
                }
                else if (name == "timeout")
                {
                    reader.Duration(value, name);
                }
                else if (name == "required")
                {
                    reader.Bool(value, name);
                }

                options[name] = text;
            }
        }

        return options;
    }

    private static void RequireOptions(YamlNodeReader reader, YamlNode node, string gate, Dictionary<string, string> options)
    {
        if (gate == "command" && !options.ContainsKey("run"))
        {
            reader.Error(DiagnosticCodes.MissingValue, node, "The 'command' gate needs a 'run' option.", "Write it as {command: {run: \"dotnet tool run my-check\"}}.");
        }
    }
}
