using System.Text.Json;
using System.Text.RegularExpressions;
using ExecutionLoops.Pair;
using ExecutionLoops.Security;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Monitoring;

/// <summary>
/// Summarises the pair sessions under <c>.loops/pair/</c> and tells which were spent on routine toil, from the
/// session's own change (its start snapshot to its last checkpoint): a change that vanishes when whitespace is ignored
/// is formatting; a change only to package versions in project, props and lock files is a dependency update.
/// </summary>
internal static partial class PairHistoryReader
{
    /// <summary>The sessions, oldest first; unreadable session files are skipped.</summary>
    public static async Task<IReadOnlyList<PairSessionSummary>> ReadAsync(string pairDirectory, GitRepository git, SecretMasker masker, CancellationToken cancellationToken)
    {
        var summaries = new List<PairSessionSummary>();
        if (!Directory.Exists(pairDirectory))
        {
            return summaries;
        }

        foreach (var file in Directory.GetFiles(pairDirectory, "session.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            PairSession? session;
            try
            {
                session = JsonSerializer.Deserialize<PairSession>(await File.ReadAllTextAsync(file, cancellationToken), LoopsJson.Indented);
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                continue;
            }

            if (session is null)
            {
                continue;
            }

            var end = session.Checkpoints.Count > 0 ? session.Checkpoints[^1].Commit : null;
            var (files, routine) = end is null ? (0, null) : await ClassifyAsync(git, session.StartSnapshot, end, cancellationToken);
            summaries.Add(new PairSessionSummary(session.Id, masker.Mask(session.Goal), session.BriefId, session.Started, session.Ended, session.Checkpoints.Count, files, routine));
        }

        return summaries.OrderBy(s => s.Started).ToList();
    }

    private static async Task<(int Files, string? Routine)> ClassifyAsync(GitRepository git, string start, string end, CancellationToken cancellationToken)
    {
        var names = await git.RunAsync(["diff", "--name-only", "-z", start, end], null, cancellationToken);
        if (!names.Succeeded)
        {
            return (0, null); // the checkpoint refs were pruned: nothing to judge
        }

        var files = names.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (files.Length == 0)
        {
            return (0, null);
        }

        var substance = await git.RunAsync(["diff", "--no-color", "--ignore-all-space", "--ignore-blank-lines", "--ignore-cr-at-eol", start, end], null, cancellationToken);
        if (substance.Succeeded && substance.StandardOutput.Trim().Length == 0)
        {
            return (files.Length, "format");
        }

        if (files.All(IsDependencyFile) && await OnlyVersionsChangedAsync(git, start, end, files, cancellationToken))
        {
            return (files.Length, "dependencies");
        }

        return (files.Length, null);
    }

    /// <summary>True when every file reads the same on both sides once version values are blanked (and whitespace ignored).</summary>
    private static async Task<bool> OnlyVersionsChangedAsync(GitRepository git, string start, string end, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var before = await git.RunAsync(["show", $"{start}:{file}"], null, cancellationToken);
            var after = await git.RunAsync(["show", $"{end}:{file}"], null, cancellationToken);
            if (!before.Succeeded || !after.Succeeded || Normalise(before.StandardOutput) != Normalise(after.StandardOutput))
            {
                return false; // added, deleted, or changed beyond its versions
            }
        }

        return true;
    }

    private static string Normalise(string text) => Whitespace().Replace(VersionValue().Replace(text, "${name}"), "");

    private static bool IsDependencyFile(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase) || name is "packages.lock.json" or "global.json" or "dotnet-tools.json";
    }

    // A version attribute or element in project and props files (Version, VersionOverride, PackageVersion's), or a
    // version, resolved version or content hash in global.json, dotnet-tools.json and lock files.
    [GeneratedRegex(@"(?<name>\b(?:Version|VersionOverride)\s*=\s*)""[^""]*""|(?<name><(?:Version|VersionOverride)>)[^<]*|(?<name>""(?:version|resolved|contentHash)""\s*:\s*)""[^""]*""")]
    private static partial Regex VersionValue();

    [GeneratedRegex("""\s+""")]
    private static partial Regex Whitespace();
}
