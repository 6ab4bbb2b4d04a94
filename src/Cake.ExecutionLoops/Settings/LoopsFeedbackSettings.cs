namespace Cake.ExecutionLoops;

/// <summary>Settings of <see cref="LoopsAliases.LoopsFeedback(Cake.Core.ICakeContext, LoopsFeedbackSettings)"/>.</summary>
public sealed class LoopsFeedbackSettings : LoopsSettings
{
    /// <summary>The review item: a pull request number (GitHub target), or an item or mission id (local queue). Required.</summary>
    public string? Item { get; set; }

    /// <summary>Raise a <see cref="Cake.Core.CakeException"/> (EL1052) when the rerun the feedback asked for fails. Default true.</summary>
    public bool FailOnMissionFailure { get; set; } = true;
}
