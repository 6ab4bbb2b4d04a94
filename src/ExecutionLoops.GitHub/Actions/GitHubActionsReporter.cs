using System.Globalization;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Reporting;
using ExecutionLoops.Security;

namespace ExecutionLoops.GitHub.Actions;

/// <summary>
/// GitHub Actions workflow commands: <c>::error file=…,line=…,col=…::</c> annotations, <c>::add-mask::</c>,
/// <c>::group::</c>, the job summary (<c>$GITHUB_STEP_SUMMARY</c>) and step outputs (<c>$GITHUB_OUTPUT</c>),
/// each escaped as the runner expects, each passed through the masker (but the secrets of <c>::add-mask::</c>
/// itself). Commands go to the given writer (the raw standard error) so tests capture them.
/// </summary>
public sealed class GitHubActionsReporter(TextWriter log, string? summaryFile, string? outputFile) : IDetectableHostReporter<GitHubActionsReporter>
{
    /// <inheritdoc />
    public static bool AppliesTo(HostEnvironment environment) => environment.Variable("GITHUB_ACTIONS") == "true";

    /// <inheritdoc />
    public static GitHubActionsReporter Create(HostEnvironment environment) =>
        new(environment.Log, environment.Variable("GITHUB_STEP_SUMMARY"), environment.Variable("GITHUB_OUTPUT"));

    /// <inheritdoc />
    public string Name => "github-actions";

    /// <inheritdoc />
    public void Annotate(Diagnostic diagnostic)
    {
        var properties = new List<string>();
        if (diagnostic.Path is { } path)
        {
            properties.Add($"file={Property(path)}");
            if (diagnostic.Line > 0)
            {
                properties.Add(string.Create(CultureInfo.InvariantCulture, $"line={diagnostic.Line}"));
                properties.Add(string.Create(CultureInfo.InvariantCulture, $"col={Math.Max(1, diagnostic.Column)}"));
            }
        }

        properties.Add($"title={Property(diagnostic.Code)}");
        var command = diagnostic.IsError ? "error" : "warning";
        var text = diagnostic.Hint is null ? diagnostic.Message : $"{diagnostic.Message} {diagnostic.Hint}";
        log.WriteLine($"::{command} {string.Join(',', properties)}::{Data(Masked(text))}");
    }

    /// <inheritdoc />
    public void Mask(string secret)
    {
        foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            log.WriteLine($"::add-mask::{Data(line.TrimEnd('\r'))}");
        }
    }

    /// <inheritdoc />
    public IDisposable Group(string title)
    {
        log.WriteLine($"::group::{Data(Masked(title))}");
        return new GroupEnd(log);
    }

    /// <inheritdoc />
    public void Summary(string markdown)
    {
        if (summaryFile is not null)
        {
            markdown = Masked(markdown);
            File.AppendAllText(summaryFile, markdown.EndsWith('\n') ? markdown : markdown + "\n");
        }
    }

    /// <inheritdoc />
    public void Output(string name, string value)
    {
        if (outputFile is null)
        {
            return;
        }

        value = Masked(value);

        // Multi-line values use the heredoc form with a delimiter that cannot occur in the value.
        var delimiter = $"loops_{Guid.NewGuid():N}";
        File.AppendAllText(outputFile, value.Contains('\n', StringComparison.Ordinal) ? $"{name}<<{delimiter}\n{value}\n{delimiter}\n" : $"{name}={value}\n");
    }

    /// <summary>Escapes a command's message part (%, CR, LF).</summary>
    public static string Data(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>Escapes a command property (also ':' and ',').</summary>
    public static string Property(string value) =>
        Data(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private static string Masked(string text) => SecretMasker.Process.Mask(text);

    private sealed class GroupEnd(TextWriter log) : IDisposable
    {
        public void Dispose() => log.WriteLine("::endgroup::");
    }
}
