using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Reads a <c>gates:</c> list: names, or single-key mappings of a name to its options. Each gate's options are
/// checked against the declarations of the registered gate.
/// </summary>
internal static class GateListReader
{
    /// <summary>The option every gate has.</summary>
    public static readonly OptionSpec Required = new("required", OptionType.Bool, "Required gates fail the mission; advisory ones (false) mark the review item as draft.");

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
            var (nameNode, optionsNode) = item switch
            {
                YamlScalarNode => (item, null),
                YamlMappingNode { Children.Count: 1 } mapping => (mapping.Children.First().Key, mapping.Children.First().Value),
                _ => ((YamlNode?)null, (YamlNode?)null),
            };
            if (nameNode is null)
            {
                reader.Error(DiagnosticCodes.WrongType, item, "Each gate must be a name (build) or a name with options ({diff: {max-lines: 400}}).");
                continue;
            }

            var name = (nameNode as YamlScalarNode)?.Value ?? "";
            if (Find(reader, nameNode, name, vocabulary) is not { } gate)
            {
                continue;
            }

            var options = OptionReader.Read(reader, optionsNode, nameNode, name, $"the '{name}' gate", gate.Options, [Required.Name]);
            var required = !options.Remove(Required.Name, out var requiredText) || OptionValues.ParseBool(requiredText) != false;
            gates.Add(new GateSpec(name, required, options));
        }

        return gates;
    }

    private static IGateDescription? Find(YamlNodeReader reader, YamlNode node, string name, BriefVocabulary vocabulary)
    {
        if (vocabulary.Gates.TryGetValue(name, out var gate))
        {
            return gate;
        }

        var known = vocabulary.Gates.Keys.Order(StringComparer.Ordinal).ToList();
        if (vocabulary.Planned.Contains(name))
        {
            reader.Error(DiagnosticCodes.UnknownGate, node, $"The gate '{name}' is planned but not available in this version.", $"Available gates: {string.Join(", ", known)}.");
        }
        else
        {
            reader.Error(DiagnosticCodes.UnknownGate, node, $"Unknown gate '{name}'.", Suggest.DidYouMean(name, known) ?? $"Known gates: {string.Join(", ", known)}.");
        }

        return null;
    }
}
