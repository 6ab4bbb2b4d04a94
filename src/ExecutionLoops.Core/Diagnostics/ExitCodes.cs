namespace ExecutionLoops.Diagnostics;

/// <summary>The documented process exit codes of every ExecutionLoops host.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;

    /// <summary>A mission or a required gate failed.</summary>
    public const int MissionFailed = 1;

    /// <summary>Invalid input: briefs, config or arguments.</summary>
    public const int InvalidInput = 2;

    /// <summary>Infrastructure failure: git, the file system, the network or a host API.</summary>
    public const int Infrastructure = 3;
}
