using ExecutionLoops.AzureDevOps.Pipelines;
using ExecutionLoops.AzureDevOps.Repos;
using ExecutionLoops.Execution;
using ExecutionLoops.Review;

namespace ExecutionLoops.AzureDevOps;

/// <summary>The parts the Azure DevOps host adds to the engine's registry.</summary>
public static class AzureDevOpsParts
{
    /// <summary><c>review.target: azure-repos</c>: Azure Repos pull requests over the REST API.</summary>
    public static IReadOnlyDictionary<string, Func<LoopsWorkspace, IReviewTarget>> Factories { get; } = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>
    {
        ["azure-repos"] = workspace => new AzureReposPullRequestTarget(AzureReposSettings.From(workspace), workspace.Git),
    };

    /// <summary>The parts this host registers, for <see cref="LoopsEngine.OpenAsync"/>: the review target and the <c>azure-matrix</c> plan format.</summary>
    public static LoopsExtensions Extensions { get; } = new() { ReviewTargets = Factories, PlanFormats = [new AzureMatrixPlanFormat()] };
}
