namespace Cake.ExecutionLoops;

/// <summary>
/// The EL codes the addin raises itself (the engine's own arrive from <c>loops</c>); the same constants as Core's
/// <c>DiagnosticCodes.Cake…</c> (the addin does not reference Core) and listed in docs/diagnostics.md.
/// </summary>
internal static class AddinCodes
{
    /// <summary>The <c>loops</c> program was not found or could not start.</summary>
    public const string ToolNotFound = "EL1050";

    /// <summary><c>loops</c> answered with something other than the JSON this addin reads (another version?).</summary>
    public const string UnreadableAnswer = "EL1051";

    /// <summary>A mission of the delegation run failed its toil or a required gate.</summary>
    public const string MissionFailed = "EL1052";

    /// <summary>A required setting is missing.</summary>
    public const string MissingSetting = "EL1053";

    /// <summary><c>loops</c> did not finish within the settings' ToolTimeout and was stopped.</summary>
    public const string TimedOut = "EL1054";
}
