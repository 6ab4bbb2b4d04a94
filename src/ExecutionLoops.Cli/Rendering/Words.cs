using ExecutionLoops.Review;

namespace ExecutionLoops.Cli.Rendering;

/// <summary>How enum values read in tables.</summary>
internal static class Words
{
    public static string Of(ReviewState state) => state switch
    {
        ReviewState.ChangesRequested => "changes requested",
        _ => state.ToString().ToLowerInvariant(),
    };
}
