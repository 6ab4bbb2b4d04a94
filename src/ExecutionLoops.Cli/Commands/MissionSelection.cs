using System.CommandLine;
using ExecutionLoops.Planning;

namespace ExecutionLoops.Cli.Commands;

/// <summary>The --mission and --all options shared by plan and delegate.</summary>
internal sealed class MissionSelection
{
    public Option<string[]> Missions { get; } = new("--mission", "-m") { Description = "Run only these missions (repeatable); manual missions run only when named.", AllowMultipleArgumentsPerToken = false };

    public Option<bool> All { get; } = new("--all") { Description = "Run every delegated mission regardless of schedule." };

    public void AddTo(Command command)
    {
        command.Add(Missions);
        command.Add(All);
    }

    public PlanRequest Read(ParseResult parse) => new(parse.GetValue(Missions) ?? [], parse.GetValue(All));
}
