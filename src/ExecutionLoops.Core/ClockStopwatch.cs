namespace ExecutionLoops;

/// <summary>
/// Measures elapsed time on a <see cref="TimeProvider"/>'s timestamps, like <see cref="System.Diagnostics.Stopwatch"/>,
/// so a test that controls the clock controls the durations measured with it.
/// </summary>
internal readonly struct ClockStopwatch(TimeProvider clock)
{
    private readonly long _started = clock.GetTimestamp();

    /// <summary>The time since the stopwatch was made.</summary>
    public TimeSpan Elapsed => clock.GetElapsedTime(_started);
}
