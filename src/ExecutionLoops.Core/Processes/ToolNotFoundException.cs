namespace ExecutionLoops.Processes;

/// <summary>The program to start is not installed or not on PATH.</summary>
internal sealed class ToolNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ToolNotFoundException(string fileName, Exception? inner = null)
        : base($"'{fileName}' was not found on PATH.", inner) => FileName = fileName;

    /// <summary>The program that was not found.</summary>
    public string FileName { get; }
}
