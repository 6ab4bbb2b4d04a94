namespace ExecutionLoops.Processes;

/// <summary>A process to start: program, arguments, directory, environment and a time limit.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>Extra or overridden environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Variables of this process the child may inherit besides <see cref="ChildEnvironment"/>'s allowlist
    /// (a trailing <c>*</c> names a prefix). A sandbox ignores the secret-named ones.
    /// </summary>
    public IReadOnlyList<string> Inherit { get; init; } = [];

    /// <summary>False when the process needs no network (a sandbox then cuts it off: tests, a build after restore).</summary>
    public bool Network { get; init; } = true;

    /// <summary>Kill the whole process tree after this long; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Text written to standard input, or null.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Called with each output line (stdout and stderr) as it arrives, e.g. for progress or a run log.</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>A shell command line: <c>/bin/sh -c</c> on Unix, <c>cmd /c</c> on Windows.</summary>
    public static ProcessSpec Shell(string commandLine, string workingDirectory) =>
        OperatingSystem.IsWindows()
            ? new ProcessSpec("cmd.exe", ["/d", "/s", "/c", commandLine], workingDirectory)
            : new ProcessSpec("/bin/sh", ["-c", commandLine], workingDirectory);

    /// <summary>The command as a person would type it, for logs.</summary>
    public string Display => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments.Select(Quote))}";

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"\"{argument.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
