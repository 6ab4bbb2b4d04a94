namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>Scripted agents: small shell scripts that edit the clone as a real coding-agent CLI would.</summary>
public static class AgentScript
{
    /// <summary>Writes a script into <paramref name="folder"/> (a <see cref="VisibleFolder"/>, so the sandbox can run it) and returns its path.</summary>
    public static string Write(string folder, string body)
    {
        var path = Path.Combine(folder, $"agent-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, $"#!/bin/sh\nDIR='{folder}'\nmkdir -p src\n{body}\n");
        return path;
    }
}
