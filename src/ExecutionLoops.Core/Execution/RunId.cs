using System.Globalization;

namespace ExecutionLoops.Execution;

/// <summary>Run ids sort by time and stay unique: <c>20261124-031502-7f3a</c>.</summary>
public static class RunId
{
    /// <summary>A new run id for the given instant.</summary>
    public static string New(DateTimeOffset now) =>
        $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Random.Shared.Next(0x10000):x4}";
}
