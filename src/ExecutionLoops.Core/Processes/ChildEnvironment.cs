using System.Collections;
using ExecutionLoops.Security;

namespace ExecutionLoops.Processes;

/// <summary>
/// The environment of every process the engine starts: an allowlist of the variables programs need to run
/// (PATH, HOME, locale, temp, the .NET and NuGet settings), never a variable whose name says it holds a secret,
/// plus what the <see cref="ProcessSpec"/> names or sets itself. Nothing else of this process's environment
/// (tokens, keys, a CI's secrets) reaches a child.
/// </summary>
internal static class ChildEnvironment
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "TEMP", "TMP", "CI", "NO_COLOR",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "ProgramData",
        "ProgramFiles", "ProgramFiles(x86)", "CommonProgramFiles", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
    };

    private static readonly string[] Prefixes = ["LC_", "DOTNET_", "NUGET_", "MSBUILD", "XDG_"];

    /// <summary>True when a variable of this process may reach children by default.</summary>
    public static bool IsAllowed(string name) =>
        !SecretMasker.IsSecretName(name) && (Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The allowlisted variables of this process, with their values.</summary>
    public static Dictionary<string, string> Allowed(IReadOnlyList<string>? inherit = null)
    {
        var allowed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (variable.Value is string value && (IsAllowed(name) || Matches(inherit, name)))
            {
                allowed[name] = value;
            }
        }

        return allowed;
    }

    /// <summary>
    /// What to hand the process starter for <paramref name="spec"/>: every variable of this process that is not
    /// allowed is removed (null), and the spec's own values are set on top.
    /// </summary>
    public static Dictionary<string, string?> For(ProcessSpec spec)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (!IsAllowed(name) && !Matches(spec.Inherit, name))
            {
                environment[name] = null;
            }
        }

        foreach (var (name, value) in spec.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>True when <paramref name="name"/> is one of <paramref name="patterns"/> (a trailing <c>*</c> matches a prefix).</summary>
    private static bool Matches(IReadOnlyList<string>? patterns, string name) =>
        patterns is not null && patterns.Any(p => p.EndsWith('*') ? name.StartsWith(p[..^1], StringComparison.Ordinal) : string.Equals(p, name, StringComparison.Ordinal));
}
