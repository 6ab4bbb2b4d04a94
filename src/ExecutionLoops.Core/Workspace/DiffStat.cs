namespace ExecutionLoops.Workspace;

/// <summary>Size of a change: files touched and lines added/removed.</summary>
public sealed record DiffStat(int Files, int Insertions, int Deletions)
{
    /// <summary>No change.</summary>
    public static DiffStat Empty { get; } = new(0, 0, 0);

    /// <summary>Lines added plus removed.</summary>
    public int Lines => Insertions + Deletions;
}
