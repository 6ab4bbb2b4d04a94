using System.Text.Json.Nodes;
using ExecutionLoops.Briefs;
using ExecutionLoops.Briefs.Sections;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Dependencies;

/// <summary>The <c>dependencies:</c> section of a dependencies mission: its update policy.</summary>
internal sealed class DependenciesSection : BriefSection<DependencyPolicy>
{
    /// <summary>The one instance.</summary>
    public static DependenciesSection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "dependencies";

    /// <inheritdoc />
    public override string Description => "The update policy of a dependencies mission.";

    /// <inheritdoc />
    public override JsonObject Schema() => SectionSchema.Load(this);

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node) => DependencyPolicyReader.Read(reader, node);
}
