namespace Cake.ExecutionLoops;

/// <summary>Settings of <see cref="LoopsAliases.LoopsPlan(Cake.Core.ICakeContext, LoopsPlanSettings)"/>.</summary>
public sealed class LoopsPlanSettings : LoopsSettings
{
    /// <summary>Plan only these missions; manual missions are due only when named.</summary>
    public ICollection<string> Missions { get; } = new List<string>();

    /// <summary>Treat every delegated mission as due regardless of its schedule.</summary>
    public bool All { get; set; }
}
