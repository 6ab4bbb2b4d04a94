using ExecutionLoops.AzureDevOps.Pipelines;
using ExecutionLoops.GitHub.Actions;
using ExecutionLoops.Reporting;

namespace ExecutionLoops.Cli;

/// <summary>The CI hosts the tool reports to, tried in this order; the local host comes last by itself.</summary>
internal static class CliHosts
{
    /// <summary>A new CI host is one <c>.Add&lt;…Reporter&gt;()</c> line here.</summary>
    public static HostReporterSelector Reporters { get; } = HostReporterSelector.Empty
        .Add<GitHubActionsReporter>()
        .Add<AzurePipelinesReporter>();
}
