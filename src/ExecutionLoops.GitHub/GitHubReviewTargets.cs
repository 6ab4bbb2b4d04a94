using ExecutionLoops.Execution;
using ExecutionLoops.GitHub.Actions;
using ExecutionLoops.GitHub.Review;
using ExecutionLoops.Review;

namespace ExecutionLoops.GitHub;

/// <summary>The review targets this host adds to the engine's registry.</summary>
public static class GitHubReviewTargets
{
    /// <summary><c>review.target: github</c>: pull requests through Octokit.</summary>
    public static IReadOnlyDictionary<string, Func<LoopsWorkspace, IReviewTarget>> Factories { get; } = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>
    {
        ["github"] = workspace => new GitHubPullRequestTarget(GitHubSettings.From(workspace), workspace.Git),
    };

    /// <summary>The parts this host registers, for <see cref="LoopsEngine.OpenAsync"/>: the review target and the <c>github-matrix</c> plan format.</summary>
    public static LoopsExtensions Extensions { get; } = new() { ReviewTargets = Factories, PlanFormats = [new GitHubMatrixPlanFormat()] };
}
