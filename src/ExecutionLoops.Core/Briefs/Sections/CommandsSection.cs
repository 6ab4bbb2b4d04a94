using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs.Sections;

/// <summary>The <c>commands:</c> section of a command mission: command lines run in order in the worktree.</summary>
internal sealed class CommandsSection : BriefSection<CommandSettings>
{
    internal static readonly string[] Keys = ["run", "timeout"];

    /// <summary>The one instance.</summary>
    public static CommandsSection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "commands";

    /// <inheritdoc />
    public override string Description => "Commands of a 'command' mission, run in order in the mission worktree.";

    /// <inheritdoc />
    public override (string Message, string Hint)? WhenMissing =>
        ("A 'command' mission needs 'commands:' to run.", "Add 'commands: [\"dotnet tool run my-tool\"]'.");

    /// <inheritdoc />
    public override JsonObject Schema() => SectionSchema.Load(this);

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(DiagnosticCodes.WrongType, node, "'commands' must be a list.", "Write it as 'commands: [\"dotnet tool run my-tool\"]' or as indented '- run: …' items.");
            return CommandSettings.Default;
        }

        var commands = new List<CommandSpec>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } run })
            {
                commands.Add(new CommandSpec(run));
            }
            else if (item is YamlMappingNode mapping)
            {
                var entries = reader.Entries(mapping, Keys, "a command");
                var text = entries.TryGetValue("run", out var runEntry) ? reader.String(runEntry.Value, "run") : null;
                var timeout = entries.TryGetValue("timeout", out var timeoutEntry) ? reader.Duration(timeoutEntry.Value, "timeout") : null;
                if (text is null)
                {
                    reader.Error(DiagnosticCodes.MissingValue, item, "A command needs 'run:'.", "Write it as '- run: dotnet tool run my-tool'.");
                }
                else
                {
                    commands.Add(new CommandSpec(text, timeout));
                }
            }
            else
            {
                reader.Error(DiagnosticCodes.WrongType, item, "Each command must be a command line or a mapping with 'run:'.");
            }
        }

        return new CommandSettings(commands);
    }
}
