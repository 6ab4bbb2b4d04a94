using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Security;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Execution.Stages;

/// <summary>
/// Text from toils and gates (agent output, command tails, compiler errors) is masked at its source, before anything
/// journals, shows or publishes it.
/// </summary>
internal static class MaskedResults
{
    public static ToilResult Mask(this SecretMasker masker, ToilResult result) => result with
    {
        Summary = masker.Mask(result.Summary),
        Details = masker.MaskOrNull(result.Details),
        LogTail = masker.Mask(result.LogTail),
        Diagnostics = result.Diagnostics.Select(masker.Mask).ToList(),
        SandboxViolations = result.SandboxViolations.Select(masker.Mask).ToList(),
    };

    public static GateResult Mask(this SecretMasker masker, GateResult result) => result with
    {
        Summary = masker.Mask(result.Summary),
        LogTail = masker.Mask(result.LogTail),
        Diagnostics = result.Diagnostics.Select(masker.Mask).ToList(),
    };

    public static Diagnostic Mask(this SecretMasker masker, Diagnostic diagnostic) =>
        diagnostic with { Message = masker.Mask(diagnostic.Message), Hint = masker.MaskOrNull(diagnostic.Hint) };
}
