using System.Text.RegularExpressions;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using NuGet.Versioning;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Dependencies;

/// <summary>Reads the <c>dependencies:</c> section of a brief into a <see cref="DependencyPolicy"/>, reporting every problem with its line.</summary>
internal static partial class DependencyPolicyReader
{
    internal static readonly string[] Keys = ["update-types", "prerelease", "include", "exclude", "groups", "min-release-age", "skip-deprecated", "pin", "ignore", "vulnerable-first", "keep-major-per-condition"];
    private static readonly string[] GroupKeys = ["name", "include"];
    private static readonly string[] UpdateTypeNames = ["patch", "minor", "major"];
    private static readonly string[] PrereleaseNames = ["if-current", "always", "never"];

    public static DependencyPolicy Read(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "dependencies") is not { } mapping)
        {
            return DependencyPolicy.Default;
        }

        var entries = reader.Entries(mapping, Keys, "'dependencies'");
        var policy = DependencyPolicy.Default;
        if (entries.TryGetValue("update-types", out var types))
        {
            var allowed = new HashSet<UpdateType>();
            foreach (var (text, item) in Items(reader, types.Value, "update-types"))
            {
                if (Array.IndexOf(UpdateTypeNames, text) is var index and >= 0)
                {
                    allowed.Add((UpdateType)index);
                }
                else
                {
                    reader.Error(DiagnosticCodes.InvalidValue, item, $"Unknown update type '{text}'.", Suggest.DidYouMean(text, UpdateTypeNames) ?? "Use patch, minor and/or major.");
                }
            }

            policy = policy with { UpdateTypes = allowed };
        }

        if (entries.TryGetValue("prerelease", out var prerelease) && reader.String(prerelease.Value, "prerelease") is { } prereleaseText)
        {
            var index = Array.IndexOf(PrereleaseNames, prereleaseText);
            if (index < 0)
            {
                reader.Error(DiagnosticCodes.InvalidValue, prerelease.Value, $"'prerelease' must be if-current, always or never, not '{prereleaseText}'.", Suggest.DidYouMean(prereleaseText, PrereleaseNames));
            }
            else
            {
                policy = policy with { Prerelease = (PrereleasePolicy)index };
            }
        }

        IReadOnlyList<string> Patterns(string key) => entries.TryGetValue(key, out var entry) ? reader.StringList(entry.Value, key) : [];
        bool? Flag(string key) => entries.TryGetValue(key, out var entry) ? reader.Bool(entry.Value, key) : null;
        policy = policy with
        {
            Include = Patterns("include"),
            Exclude = Patterns("exclude"),
            MinReleaseAge = entries.TryGetValue("min-release-age", out var age) ? reader.Duration(age.Value, "min-release-age") : null,
            SkipDeprecated = Flag("skip-deprecated") ?? true,
            VulnerableFirst = Flag("vulnerable-first") ?? true,
            ConditionedSitesKeepMajor = Flag("keep-major-per-condition") ?? false,
            Pin = entries.TryGetValue("pin", out var pin) ? Rules(reader, pin.Value, "pin") : [],
            Ignore = entries.TryGetValue("ignore", out var ignore) ? Rules(reader, ignore.Value, "ignore") : [],
            Groups = entries.TryGetValue("groups", out var groups) ? Groups(reader, groups.Value) : [],
        };
        return policy;
    }

    /// <summary><c>Package</c> or <c>Package@range</c> (NuGet range syntax: <c>[1.0,2.0)</c>, <c>2.*</c>).</summary>
    private static List<PackageRule> Rules(YamlNodeReader reader, YamlNode node, string key)
    {
        var rules = new List<PackageRule>();
        foreach (var (text, item) in Items(reader, node, key))
        {
            var at = text.IndexOf('@', StringComparison.Ordinal);
            if (at < 0)
            {
                rules.Add(new PackageRule(text.Trim(), null));
            }
            else if (VersionRange.TryParse(text[(at + 1)..].Trim(), out var range))
            {
                rules.Add(new PackageRule(text[..at].Trim(), range));
            }
            else
            {
                reader.Error(DiagnosticCodes.InvalidValue, item, $"'{text[(at + 1)..]}' in {key} is not a NuGet version range.", "Write Package@[1.0,2.0) for 1.x, Package@2.* or Package@[3.0,) for 3.0 and later.");
            }
        }

        return rules;
    }

    private static List<DependencyGroup> Groups(YamlNodeReader reader, YamlNode node)
    {
        var groups = new List<DependencyGroup>();
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(DiagnosticCodes.WrongType, node, "'groups' must be a list.", "Write it as indented '- name: test-stack' items with 'include:' patterns.");
            return groups;
        }

        foreach (var item in sequence.Children)
        {
            if (reader.Mapping(item, "a group") is not { } group)
            {
                continue;
            }

            var entries = reader.Entries(group, GroupKeys, "a dependency group");
            var name = entries.TryGetValue("name", out var nameEntry) ? reader.String(nameEntry.Value, "name") : null;
            var include = entries.TryGetValue("include", out var includeEntry) ? reader.StringList(includeEntry.Value, "include") : [];
            if (name is null || include.Count == 0)
            {
                reader.Error(DiagnosticCodes.MissingValue, item, "A dependency group needs 'name' and 'include' patterns.", "Write it as {name: test-stack, include: [\"xunit*\", \"Microsoft.NET.Test.Sdk\"]}.");
            }
            else if (!GroupName().IsMatch(name))
            {
                reader.Error(DiagnosticCodes.InvalidValue, nameEntry.Value, $"Invalid group name '{name}'; it becomes part of a mission id.", "Use lowercase letters, digits and dashes.");
            }
            else if (groups.Any(g => g.Name == name))
            {
                reader.Error(DiagnosticCodes.InvalidValue, nameEntry.Value, $"The group '{name}' is defined twice.", "Give each group its own name.");
            }
            else
            {
                groups.Add(new DependencyGroup(name, include));
            }
        }

        return groups;
    }

    private static IEnumerable<(string Text, YamlNode Node)> Items(YamlNodeReader reader, YamlNode node, string key)
    {
        var values = reader.StringList(node, key);
        var nodes = node is YamlSequenceNode sequence ? sequence.Children : [node];
        for (var i = 0; i < values.Count; i++)
        {
            yield return (values[i], i < nodes.Count ? nodes[i] : node);
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupName();
}
