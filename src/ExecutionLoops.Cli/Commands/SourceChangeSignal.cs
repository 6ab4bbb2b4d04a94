namespace ExecutionLoops.Cli.Commands;

/// <summary>
/// Signals saved source changes (not build output, not .git or .loops), debounced: an editor's save burst (temp file,
/// rename, touch, several files saved together) is one signal, given once the tree has been quiet for
/// <see cref="QuietPeriod"/>. Changes made while the caller is busy (during a build) are kept for its next wait.
/// </summary>
internal sealed class SourceChangeSignal : IDisposable
{
    /// <summary>How long no change must arrive before a burst counts as finished.</summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(150);

    private readonly FileSystemWatcher? _watcher;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _clock;
    private long _lastChange;

    public SourceChangeSignal(string root, TimeSpan? quietPeriod = null, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        QuietPeriod = quietPeriod ?? DefaultQuietPeriod;
        _watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The quiet time that ends a burst.</summary>
    public TimeSpan QuietPeriod { get; }

    /// <summary>Waits for the next change, then for the burst it starts to end.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(cancellationToken);
        while (true)
        {
            var quiet = _clock.GetElapsedTime(Interlocked.Read(ref _lastChange));
            if (quiet >= QuietPeriod)
            {
                break;
            }

            await Task.Delay(QuietPeriod - quiet, _clock, cancellationToken);
        }

        // Everything of the burst is covered by the one run that follows.
        while (_signal.Wait(0, CancellationToken.None))
        {
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _signal.Dispose();
    }

    /// <summary>A change at <paramref name="path"/>; paths under build output and tool state are not source changes.</summary>
    internal void Notify(string path)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.Contains("/bin/", StringComparison.Ordinal) || normalized.Contains("/obj/", StringComparison.Ordinal) || normalized.Contains("/.git/", StringComparison.Ordinal) || normalized.Contains("/.loops/", StringComparison.Ordinal) || normalized.EndsWith("/.git", StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Exchange(ref _lastChange, _clock.GetTimestamp());
        _signal.Release();
    }

    private void OnChange(object sender, FileSystemEventArgs e) => Notify(e.FullPath);
}
