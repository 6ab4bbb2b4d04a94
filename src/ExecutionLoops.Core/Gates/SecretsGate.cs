using System.Text.RegularExpressions;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Security;

namespace ExecutionLoops.Gates;

/// <summary>
/// <c>secrets</c>: the added lines of the change hold nothing that looks like a credential: cloud and forge
/// tokens, private keys, connection strings with a password or account key, JWTs. Agent missions always run it
/// as a required gate. Findings name the file and line; the value itself is masked.
/// </summary>
internal sealed partial class SecretsGate : IGate
{
    /// <inheritdoc />
    public string Name => "secrets";

    /// <inheritdoc />
    public string Summary => "Secrets scan of the added lines (tokens, private keys, connection strings); always on for agent kinds.";

    /// <inheritdoc />
    public bool ChecksWorkingTree => true;

    /// <inheritdoc />
    /// <remarks>What an agent wrote is scanned for secrets whether or not the brief asked.</remarks>
    public bool AlwaysOnAgentCode => true;

    /// <inheritdoc />
    public async Task<GateResult> EvaluateAsync(GateContext context, GateSpec spec, CancellationToken cancellationToken)
    {
        var stopwatch = new ClockStopwatch(context.Clock);
        var findings = new List<Diagnostic>();
        foreach (var change in context.Changes)
        {
            var path = Path.Combine(context.WorktreePath, change.Path);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000)
            {
                continue;
            }

            var added = await AddedLinesAsync(context, change.Path, cancellationToken);
            foreach (var (number, text) in added)
            {
                foreach (var (kind, pattern) in SecretPatterns.All)
                {
                    if (pattern.Match(text) is { Success: true } match)
                    {
                        findings.Add(Diagnostic.Error(DiagnosticCodes.SecretInDiff, $"Possible {kind}: {Mask(match.Value)}", change.Path, number, match.Index + 1, "Remove it; read secrets from the environment or a secret store."));
                        break;
                    }
                }
            }
        }

        return findings.Count == 0
            ? GateResults.Passed(spec, stopwatch.Elapsed, $"no secrets in {context.Changes.Count} changed file(s)")
            : GateResults.Failed(spec, stopwatch.Elapsed, $"{findings.Count} possible secret(s): {string.Join(", ", findings.Select(f => $"{f.Path}:{f.Line}").Take(5))}", findings);
    }

    /// <summary>Scans one text (for tests and other callers): the kinds of secret found.</summary>
    public static IReadOnlyList<string> Scan(string text) => SecretPatterns.Scan(text);

    /// <summary>Lines the change added to the file (line numbers of the new file); a new file is all added.</summary>
    private static async Task<List<(int Line, string Text)>> AddedLinesAsync(GateContext context, string path, CancellationToken cancellationToken)
    {
        var diff = await context.Processes.RunAsync(new Processes.ProcessSpec("git", ["diff", "--no-color", "--unified=0", context.BaseCommit, "--", path], context.WorktreePath), cancellationToken);
        var lines = new List<(int, string)>();
        if (!diff.Succeeded || diff.StandardOutput.Length == 0)
        {
            // Untracked (new) files have no diff against the base: every line is added.
            var all = await File.ReadAllLinesAsync(Path.Combine(context.WorktreePath, path), cancellationToken);
            return all.Select((text, index) => (index + 1, text)).ToList();
        }

        var current = 0;
        foreach (var line in diff.StandardOutput.Split('\n'))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal) && HunkStart().Match(line) is { Success: true } hunk)
            {
                current = int.Parse(hunk.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal))
            {
                lines.Add((current++, line[1..]));
            }
        }

        return lines;
    }

    private static string Mask(string value) => value.Length <= 8 ? "****" : $"{value[..4]}…{new string('*', 4)}";

    [GeneratedRegex(@"^@@ -\d+(?:,\d+)? \+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex HunkStart();
}
