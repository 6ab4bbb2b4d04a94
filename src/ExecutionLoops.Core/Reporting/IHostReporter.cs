using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Reporting;

/// <summary>
/// What a CI host shows besides the log: annotations on files, masked secrets, collapsible groups, a job
/// summary and step outputs. Each host (GitHub Actions, Azure Pipelines) writes its own logging commands;
/// locally nothing extra is written.
/// </summary>
public interface IHostReporter
{
    /// <summary>The host's name, e.g. "github-actions", or "local".</summary>
    string Name { get; }

    /// <summary>Annotates a diagnostic (file, line, column) in the host's UI.</summary>
    void Annotate(Diagnostic diagnostic);

    /// <summary>Asks the host to mask a secret value in every later log line.</summary>
    void Mask(string secret);

    /// <summary>Starts a collapsible log group; disposing ends it.</summary>
    IDisposable Group(string title);

    /// <summary>Appends Markdown to the job summary.</summary>
    void Summary(string markdown);

    /// <summary>Sets a step output.</summary>
    void Output(string name, string value);
}

/// <summary>The local host: nothing beyond the console.</summary>
public sealed class LocalHostReporter : IHostReporter
{
    /// <summary>The shared instance.</summary>
    public static LocalHostReporter Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public void Annotate(Diagnostic diagnostic)
    {
    }

    /// <inheritdoc />
    public void Mask(string secret)
    {
    }

    /// <inheritdoc />
    public IDisposable Group(string title) => EmptyGroup.Instance;

    /// <inheritdoc />
    public void Summary(string markdown)
    {
    }

    /// <inheritdoc />
    public void Output(string name, string value)
    {
    }

    private sealed class EmptyGroup : IDisposable
    {
        public static EmptyGroup Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
