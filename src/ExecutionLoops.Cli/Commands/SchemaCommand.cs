using System.CommandLine;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops schema mission|config</c>: prints a JSON Schema for editors.</summary>
internal static class SchemaCommand
{
    public static Command Create(CliContext context)
    {
        var which = new Argument<string>("which") { Description = "mission (brief front matter) or config (.loops/config.yml)." };
        which.AcceptOnlyFromAmong("mission", "config");
        var command = new Command("schema", "Print the JSON Schema of mission briefs or of the config (for '# yaml-language-server: $schema=…').") { which };
        CommandAction.Set(command, context, (parse, _) =>
        {
            var vocabulary = LoopsRegistry.VocabularyOf(context.Extensions);
            context.Output.Write(parse.GetValue(which) == "config" ? BriefSchemas.Config(vocabulary) : BriefSchemas.Mission(vocabulary));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
