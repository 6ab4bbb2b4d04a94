namespace Cake.ExecutionLoops;

/// <summary>Settings of <see cref="LoopsAliases.LoopsDepsScan(Cake.Core.ICakeContext, LoopsDepsScanSettings)"/>.</summary>
public sealed class LoopsDepsScanSettings : LoopsSettings
{
    /// <summary>Apply the update policy of this dependencies mission (default: every update allowed, stable versions).</summary>
    public string? Mission { get; set; }

    /// <summary>List only the dependencies that have a candidate version.</summary>
    public bool UpdatesOnly { get; set; }

    /// <summary>Ask the package sources again instead of using cached answers.</summary>
    public bool NoCache { get; set; }
}
