using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ExecutionLoops.MSBuild;

/// <summary>
/// Merges the compilers' SARIF logs of a Pair build into one log for <c>--compiler-log</c>, keeping only what loops
/// reads: each run's <c>results</c>. A compiler's log also describes every rule its analyzers know (about 330 rules,
/// 0.3 MB a project): a 20-project solution's merged log was 7 MB, and reading it was most of a feedback call. The merge
/// is skipped when no input log changed since the last one (their sizes and times are kept beside it), so a no-op
/// Pair build reads no log at all.
/// </summary>
internal sealed class CompilerLogMerger(TaskLoggingHelper log)
{
    /// <summary>Writes <paramref name="merged"/> from <paramref name="logs"/> unless it is up to date; false when it cannot be written.</summary>
    public bool Merge(ITaskItem[] logs, string merged)
    {
        var paths = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in logs)
        {
            var path = item.GetMetadata("FullPath");
            if (seen.Add(path))
            {
                paths.Add(path);
            }
        }

        var stamp = Stamp(paths);
        var stampFile = merged + ".inputs";
        try
        {
            if (File.Exists(merged) && File.Exists(stampFile) && File.ReadAllText(stampFile) == stamp)
            {
                log.LogMessage(MessageImportance.Low, $"ExecutionLoops: {merged} is up to date with its {paths.Count} compiler log(s).");
                return true;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable stamp only means merging again.
        }

        var runs = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                var results = SarifResults.Of(File.ReadAllText(path));
                if (results.Count == 0)
                {
                    log.LogMessage(MessageImportance.Low, $"ExecutionLoops: no SARIF runs in {path}; left out.");
                }

                foreach (var result in results)
                {
                    runs.Add("{\"results\":" + result + "}");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                log.LogMessage(MessageImportance.Low, $"ExecutionLoops: {path} could not be read ({exception.Message}); left out.");
            }
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(merged))!);
            File.WriteAllText(merged, "{\"version\":\"2.1.0\",\"runs\":[\n" + string.Join(",\n", runs) + "\n]}\n", new UTF8Encoding(false));
            File.WriteAllText(stampFile, stamp, new UTF8Encoding(false));
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.LogError($"ExecutionLoops: the merged compiler log {merged} could not be written: {exception.Message}");
            return false;
        }
    }

    /// <summary>What identifies the inputs: each log's path, size and last write time (a missing one as such).</summary>
    private static string Stamp(List<string> paths)
    {
        var text = new StringBuilder();
        foreach (var path in paths)
        {
            var file = new FileInfo(path);
            text.Append(path).Append('|');
            text.Append(file.Exists ? file.Length.ToString(CultureInfo.InvariantCulture) + "|" + file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) : "missing");
            text.Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>
/// Finds the <c>results</c> array of every run of a SARIF log without a JSON library (the task assembly has no
/// dependencies): a scan that knows strings and nesting is enough to cut the arrays out unchanged.
/// </summary>
internal static class SarifResults
{
    /// <summary>The text of each run's <c>results</c> array, brackets included, in the log's order; none when there are no runs.</summary>
    public static List<string> Of(string json)
    {
        var found = new List<string>();
        var depth = 0;
        var runsDepth = -1;
        for (var i = 0; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    var start = i;
                    i = EndOfString(json, i);
                    if (i < 0)
                    {
                        return found;
                    }

                    var next = SkipWhitespace(json, i + 1);
                    if (next >= json.Length || json[next] != ':')
                    {
                        break;
                    }

                    var key = json.Substring(start + 1, i - start - 1);
                    var value = SkipWhitespace(json, next + 1);
                    if (depth == 1 && key == "runs" && value < json.Length && json[value] == '[')
                    {
                        // The runs array opens at the next bracket: its objects are the runs.
                        runsDepth = depth + 1;
                    }
                    else if (runsDepth > 0 && depth == runsDepth + 1 && key == "results" && value < json.Length && json[value] == '[')
                    {
                        var close = Closing(json, value);
                        if (close < 0)
                        {
                            return found;
                        }

                        found.Add(json.Substring(value, close - value + 1));
                        i = close;
                    }

                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth < runsDepth)
                    {
                        runsDepth = -1;
                    }

                    break;
            }
        }

        return found;
    }

    private static int EndOfString(string json, int quote)
    {
        for (var i = quote + 1; i < json.Length; i++)
        {
            if (json[i] == '\\')
            {
                i++;
            }
            else if (json[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static int SkipWhitespace(string json, int i)
    {
        while (i < json.Length && char.IsWhiteSpace(json[i]))
        {
            i++;
        }

        return i;
    }

    private static int Closing(string json, int open)
    {
        var depth = 0;
        for (var i = open; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '"':
                    i = EndOfString(json, i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }
}
