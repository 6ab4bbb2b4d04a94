using Cake.Core.IO;

namespace Cake.ExecutionLoops;

/// <summary>Settings of <see cref="LoopsAliases.LoopsDelegate(Cake.Core.ICakeContext, LoopsDelegateSettings)"/>: which missions run, and how.</summary>
public sealed class LoopsDelegateSettings : LoopsSettings
{
    /// <summary>Run only these missions (manual missions run only when named). Empty: every due mission.</summary>
    public ICollection<string> Missions { get; } = new List<string>();

    /// <summary>Run every delegated mission regardless of its schedule.</summary>
    public bool All { get; set; }

    /// <summary>Plan only: no worktree, commit or review item.</summary>
    public bool DryRun { get; set; }

    /// <summary>Also write the run report here (Markdown, or JSON when the name ends in <c>.json</c>).</summary>
    public FilePath? Report { get; set; }

    /// <summary>When another run holds the repository's lock, wait this long for it instead of failing.</summary>
    public TimeSpan? Wait { get; set; }

    /// <summary>
    /// Raise a <see cref="Cake.Core.CakeException"/> (EL1052) when a mission fails its toil or a required gate. Default
    /// true, so a failed mission fails the build; set false to branch on <see cref="LoopsRunResult.Missions"/> instead.
    /// </summary>
    public bool FailOnMissionFailure { get; set; } = true;
}
