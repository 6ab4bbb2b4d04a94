namespace Cake.ExecutionLoops;

/// <summary>What the pair aliases share: which session they act on.</summary>
public abstract class LoopsPairSettings : LoopsSettings
{
    /// <summary>The session (default: the active one); names a new session when one starts.</summary>
    public string? Session { get; set; }
}

/// <summary>
/// Settings of <see cref="LoopsAliases.LoopsPairStatus(Cake.Core.ICakeContext, LoopsPairStatusSettings)"/>: the
/// feedback call, which starts a session when given a <see cref="Goal"/> and none is active.
/// </summary>
public sealed class LoopsPairStatusSettings : LoopsPairSettings
{
    /// <summary>What a new session is for; setting it starts one.</summary>
    public string? Goal { get; set; }

    /// <summary>A new session's time box, e.g. <c>45m</c>.</summary>
    public string? Timebox { get; set; }

    /// <summary>A new session's success criteria ('tests pass', 'build succeeds', 'no new warnings', 'command: …' are checked).</summary>
    public ICollection<string> Criteria { get; } = new List<string>();

    /// <summary>The project or solution to build (default: the config's, else the one at the root).</summary>
    public string? Project { get; set; }

    /// <summary>Also run the tests (automatic when a criterion mentions tests).</summary>
    public bool Test { get; set; }
}

/// <summary>Settings of <see cref="LoopsAliases.LoopsPairCheckpoint(Cake.Core.ICakeContext, LoopsPairCheckpointSettings)"/>.</summary>
public sealed class LoopsPairCheckpointSettings : LoopsPairSettings
{
    /// <summary>Why this checkpoint (default <c>manual</c>).</summary>
    public string? Label { get; set; }
}

/// <summary>Settings of <see cref="LoopsAliases.LoopsPairEnd(Cake.Core.ICakeContext, LoopsPairEndSettings)"/>.</summary>
public sealed class LoopsPairEndSettings : LoopsPairSettings
{
    /// <summary>Where to write the session record (default <c>docs/pair-sessions/&lt;date&gt;-&lt;slug&gt;.md</c>).</summary>
    public string? Record { get; set; }

    /// <summary>The project or solution whose warnings the follow-up drafts compare.</summary>
    public string? Project { get; set; }
}
