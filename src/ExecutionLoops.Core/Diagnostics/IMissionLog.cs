namespace ExecutionLoops.Diagnostics;

/// <summary>The run log of one mission: every command and its output, secrets masked, kept under the state directory.</summary>
public interface IMissionLog
{
    /// <summary>Appends one line.</summary>
    void Write(string line);
}
