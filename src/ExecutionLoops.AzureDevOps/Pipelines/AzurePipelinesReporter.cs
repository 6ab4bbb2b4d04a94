using System.Globalization;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.AzureDevOps.Pipelines;

/// <summary>
/// Azure Pipelines logging commands: <c>##vso[task.logissue]</c> for diagnostics (brief errors, gate failures) with
/// their file, line, column and code; <c>##vso[task.setsecret]</c> for every secret; <c>##[group]</c> per mission;
/// <c>##vso[task.uploadsummary]</c> for the run report (written to a Markdown file first); <c>##vso[task.setvariable]</c>
/// outputs with <c>isOutput=true</c> so later jobs read them; and <c>##vso[task.complete result=SucceededWithIssues]</c>
/// once a run's result is published with an advisory gate that failed. Every value is escaped by the logging
/// command rules and passed through the masker (but the secrets of <c>task.setsecret</c> itself). Commands go to the
/// given writer (the raw standard output the agent reads), so tests capture them.
/// </summary>
/// <param name="log">Where the commands are written.</param>
/// <param name="summaryFolder">Where summary files are written before they are uploaded (the agent's temp folder).</param>
public sealed class AzurePipelinesReporter(TextWriter log, string summaryFolder) : IDetectableHostReporter<AzurePipelinesReporter>
{
    private int _summaries;

    /// <inheritdoc />
    public static bool AppliesTo(HostEnvironment environment) => string.Equals(environment.Variable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public static AzurePipelinesReporter Create(HostEnvironment environment) =>
        new(environment.Log, environment.Variable("AGENT_TEMPDIRECTORY") is { Length: > 0 } temp ? temp : Path.GetTempPath());

    /// <inheritdoc />
    public string Name => "azure-pipelines";

    /// <inheritdoc />
    public void Annotate(Diagnostic diagnostic)
    {
        var properties = new List<string> { $"type={(diagnostic.IsError ? "error" : "warning")}" };
        if (diagnostic.Path is { } path)
        {
            properties.Add($"sourcepath={Escape(Masked(path))}");
            if (diagnostic.Line > 0)
            {
                properties.Add(string.Create(CultureInfo.InvariantCulture, $"linenumber={diagnostic.Line}"));
                properties.Add(string.Create(CultureInfo.InvariantCulture, $"columnnumber={Math.Max(1, diagnostic.Column)}"));
            }
        }

        properties.Add($"code={Escape(diagnostic.Code)}");
        var text = diagnostic.Hint is null ? diagnostic.Message : $"{diagnostic.Message} {diagnostic.Hint}";
        log.WriteLine($"##vso[task.logissue {string.Join(';', properties)}]{Escape(Masked(text))}");
    }

    /// <inheritdoc />
    public void Mask(string secret)
    {
        foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            log.WriteLine($"##vso[task.setsecret]{Escape(line.TrimEnd('\r'))}");
        }
    }

    /// <inheritdoc />
    public IDisposable Group(string title)
    {
        log.WriteLine($"##[group]{Escape(Masked(title))}");
        return new GroupEnd(log);
    }

    /// <inheritdoc />
    public void Summary(string markdown)
    {
        // The agent attaches a file, named as the build summary's section; each summary gets its own folder.
        var folder = Path.Combine(summaryFolder, string.Create(CultureInfo.InvariantCulture, $"loops-summary-{Environment.ProcessId}-{Interlocked.Increment(ref _summaries)}"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "ExecutionLoops.md");
        File.WriteAllText(file, Masked(markdown));
        log.WriteLine($"##vso[task.uploadsummary]{Escape(file)}");
    }

    /// <inheritdoc />
    public void Output(string name, string value)
    {
        log.WriteLine($"##vso[task.setvariable variable={Escape(name)};isOutput=true]{Escape(Masked(value))}");
        if (name == "result")
        {
            Complete(value);
        }
    }

    /// <summary>
    /// Escapes a logging command's property value or message by the agent's rules: '%' first (as <c>%AZP25</c>), then
    /// ';', CR, LF and ']', which would otherwise end the property, the line or the command.
    /// </summary>
    public static string Escape(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace(";", "%3B", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal)
            .Replace("]", "%5D", StringComparison.Ordinal);

    /// <summary>
    /// A run whose gates all passed leaves the step's result to its exit code; a successful run with a failed advisory
    /// gate (a draft review item) completes it as SucceededWithIssues, so it shows amber, not green (a non-zero exit still fails it).
    /// </summary>
    private void Complete(string reportJson)
    {
        RunReport? report;
        try
        {
            report = JsonReportWriter.Read(reportJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return;
        }

        if (report is { ExitCode: 0 } && report.Missions.Any(m => m.Gates.Any(g => g.Status == Gates.GateStatus.Failed)))
        {
            log.WriteLine("##vso[task.complete result=SucceededWithIssues;]ExecutionLoops: an advisory gate failed");
        }
    }

    private static string Masked(string text) => SecretMasker.Process.Mask(text);

    private sealed class GroupEnd(TextWriter log) : IDisposable
    {
        public void Dispose() => log.WriteLine("##[endgroup]");
    }
}
