using System.Collections;

namespace ExecutionLoops.Reporting;

/// <summary>
/// What a CI host is recognised and configured from: the environment variables and the raw log its workflow commands
/// go to. Hosts read this, never the process globals, so tests can put any host's environment in front of them.
/// </summary>
/// <param name="Variables">Environment variables by name.</param>
/// <param name="Log">The raw (unmasked-console) writer a host writes its logging commands to.</param>
public sealed record HostEnvironment(IReadOnlyDictionary<string, string?> Variables, TextWriter Log)
{
    /// <summary>A variable's value, or null when it is not set.</summary>
    public string? Variable(string name) => Variables.GetValueOrDefault(name);

    /// <summary>The current process's environment.</summary>
    public static HostEnvironment OfProcess(TextWriter log) =>
        new(Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal), log);
}
