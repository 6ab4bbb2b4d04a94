namespace ExecutionLoops.Cli.Commands;

/// <summary>Signals saved source changes (not build output, not .git or .loops), debounced so one save is one rebuild.</summary>
internal sealed class SourceChangeSignal : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _signal = new(0);

    public SourceChangeSignal(string root)
    {
        _watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(cancellationToken);
        // Editors save in bursts (temp file, rename, touch): wait for quiet, then drain.
        await Task.Delay(TimeSpan.FromMilliseconds(400), cancellationToken);
        while (_signal.CurrentCount > 0)
        {
            await _signal.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _signal.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        var path = e.FullPath.Replace('\\', '/');
        if (path.Contains("/bin/", StringComparison.Ordinal) || path.Contains("/obj/", StringComparison.Ordinal) || path.Contains("/.git/", StringComparison.Ordinal) || path.Contains("/.loops/", StringComparison.Ordinal))
        {
            return;
        }

        _signal.Release();
    }
}
