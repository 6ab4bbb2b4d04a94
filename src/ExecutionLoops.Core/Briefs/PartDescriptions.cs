namespace ExecutionLoops.Briefs;

/// <summary>
/// What a toil kind tells the brief vocabulary about itself. <see cref="Toil.IToil"/> extends it, so a kind is
/// described where it is implemented and nowhere else.
/// </summary>
public interface IKindDescription
{
    /// <summary>The <c>kind:</c> value.</summary>
    string Kind { get; }

    /// <summary>One sentence for <c>--help</c>, editors and the schema.</summary>
    string Summary { get; }

    /// <summary>The kind's own brief section, or null.</summary>
    BriefSection? Section => null;

    /// <summary>
    /// True when the toil runs agent-written code: the mission then works in a separate clone inside the OS
    /// sandbox, its gates run there without any secret, and failed gates go back to the agent for another attempt.
    /// </summary>
    bool RunsAgentCode => false;

    /// <summary>Routine toil that belongs in delegation; a pair session for it is an anti-pattern lint warns about.</summary>
    bool IsRoutine => false;

    /// <summary>
    /// True when running the mission again on a newer base makes the same change there (a version bump, not an
    /// agent's edit): a review item whose base moved and no longer merges is then rebased by re-running the mission
    /// (same branch, same item, gates again), as Renovate rebases its branches, instead of reporting a conflict.
    /// </summary>
    bool RegeneratesOnNewBase => false;

    /// <summary>Problems of a parsed delegation brief that need the config to see (reported by lint, at the brief's path).</summary>
    IEnumerable<Diagnostics.Diagnostic> Validate(MissionBrief brief, LoopsConfig config) => [];

    /// <summary>The missions one brief of this kind stands for (most kinds: the brief itself).</summary>
    IEnumerable<MissionBrief> Expand(MissionBrief brief) => [brief];
}

/// <summary>What a gate tells the brief vocabulary about itself. <see cref="Gates.IGate"/> extends it.</summary>
public interface IGateDescription
{
    /// <summary>The name used in briefs (<c>build</c>, <c>test</c>, …).</summary>
    string Name { get; }

    /// <summary>One sentence for editors and the schema.</summary>
    string Summary { get; }

    /// <summary>The options the gate understands besides <c>required</c>.</summary>
    IReadOnlyList<OptionSpec> Options => [];
}
