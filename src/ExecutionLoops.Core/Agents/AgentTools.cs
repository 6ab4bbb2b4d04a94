using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExecutionLoops.Processes;
using Microsoft.Extensions.AI;

namespace ExecutionLoops.Agents;

/// <summary>
/// The tools the chat agent works with. Every path goes through the <see cref="AgentSandbox"/>; a refusal or a
/// mistake (a file that does not exist, a patch that does not apply) is answered as text so the model can
/// correct itself, never thrown.
/// </summary>
internal sealed partial class AgentTools(AgentSandbox sandbox, ProcessRunner processes, Func<CancellationToken, Task<string>>? runGates, string? tempDirectory = null)
{
    private const int MaxRead = 60_000;

    /// <summary>Set when the model called finish.</summary>
    public string? FinishSummary { get; private set; }

    /// <summary>Files written so far in this attempt.</summary>
    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>The tool declarations sent to the model.</summary>
    public IList<AITool> Declarations() =>
    [
        AIFunctionFactory.Create(ListFiles, "list_files", "List the files under a folder of the repository (relative path, '' for the root), optionally filtered by a glob such as '*.cs'."),
        AIFunctionFactory.Create(ReadFile, "read_file", "Read a text file of the repository, optionally a range of 1-based lines."),
        AIFunctionFactory.Create(SearchText, "search_text", "Search the repository's text files for a regular expression; returns path:line: text for each match."),
        AIFunctionFactory.Create(WriteFile, "write_file", "Create or replace a file with the given content. Only files in the mission scope may be written."),
        AIFunctionFactory.Create(ApplyPatch, "apply_patch", "Apply a unified diff (as produced by git diff) to the repository."),
        AIFunctionFactory.Create(RunGates, "run_gates", "Run the mission's quality gates (build, tests, …) on the current state and return what failed."),
        AIFunctionFactory.Create(Finish, "finish", "Call when the work is complete, with a short summary of what you changed and why."),
    ];

    /// <summary>Runs a tool call by name; unknown names and bad arguments are answered as errors.</summary>
    public async Task<(string Result, bool Malformed)> InvokeAsync(FunctionCallContent call, CancellationToken cancellationToken)
    {
        if (call.Exception is { } parseError)
        {
            return ($"error: the arguments of {call.Name} are not valid JSON ({parseError.Message}). Send a JSON object.", true);
        }

        string? Text(string name) => call.Arguments?.TryGetValue(name, out var value) == true ? value switch
        {
            null => null,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement element => element.ToString(),
            _ => value.ToString(),
        } : null;
        int? Number(string name) => int.TryParse(Text(name), out var n) ? n : null;

        try
        {
            return call.Name switch
            {
                "list_files" => (ListFiles(Text("path") ?? "", Text("glob")), false),
                "read_file" when Text("path") is { } path => (ReadFile(path, Number("startLine"), Number("endLine")), false),
                "search_text" when Text("pattern") is { } pattern => (SearchText(pattern, Text("glob")), false),
                "write_file" when Text("path") is { } path && Text("content") is { } content => (WriteFile(path, content), false),
                "apply_patch" when Text("patch") is { } patch => (await ApplyPatch(patch, cancellationToken), false),
                "run_gates" => (await RunGates(cancellationToken), false),
                "finish" => (Finish(Text("summary") ?? ""), false),
                "list_files" or "read_file" or "search_text" or "write_file" or "apply_patch" => ($"error: {call.Name} is missing a required argument.", true),
                _ => ($"error: there is no tool named '{call.Name}'. Tools: list_files, read_file, search_text, write_file, apply_patch, run_gates, finish.", true),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or RegexParseException)
        {
            return ($"error: {ex.Message}", false);
        }
    }

    [Description("List files")]
    private string ListFiles([Description("Folder relative to the repository root; '' for the root.")] string path, [Description("Optional glob, e.g. *.cs")] string? glob = null)
    {
        var (full, refusal) = path.Length == 0 ? (sandbox.Root, null) : sandbox.Resolve(path, write: false);
        if (refusal is not null || !Directory.Exists(full))
        {
            return refusal is null ? $"error: there is no folder '{path}'." : $"refused: {refusal}";
        }

        var files = Directory.EnumerateFiles(full!, string.IsNullOrEmpty(glob) ? "*" : glob, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sandbox.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(p => p is ".git" or "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Take(500)
            .ToList();
        return files.Count == 0 ? "(no files)" : string.Join('\n', files);
    }

    [Description("Read a file")]
    private string ReadFile([Description("File path relative to the repository root.")] string path, [Description("First line (1-based), optional.")] int? startLine = null, [Description("Last line, optional.")] int? endLine = null)
    {
        var (full, refusal) = sandbox.Resolve(path, write: false);
        if (refusal is not null)
        {
            return $"refused: {refusal}";
        }

        if (!File.Exists(full))
        {
            return $"error: there is no file '{path}'. Use list_files to see what exists.";
        }

        var lines = File.ReadAllLines(full);
        var from = Math.Max(1, startLine ?? 1);
        var to = Math.Min(lines.Length, endLine ?? lines.Length);
        var text = string.Join('\n', lines.Skip(from - 1).Take(Math.Max(0, to - from + 1)).Select((line, i) => $"{from + i}: {line}"));
        return text.Length > MaxRead ? text[..MaxRead] + "\n… (cut; read a line range)" : text;
    }

    [Description("Search text")]
    private string SearchText([Description("A .NET regular expression.")] string pattern, [Description("Optional file glob, e.g. *.cs")] string? glob = null)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        var matches = new StringBuilder();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(sandbox.Root, string.IsNullOrEmpty(glob) ? "*" : glob, SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sandbox.Root, file).Replace('\\', '/');
            if (relative.Split('/').Any(p => p is ".git" or "bin" or "obj") || new FileInfo(file).Length > 1_000_000)
            {
                continue;
            }

            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (regex.IsMatch(line) && count++ < 200)
                {
                    matches.AppendLine($"{relative}:{number}: {line.Trim()}");
                }
            }
        }

        return count == 0 ? "(no matches)" : matches + (count > 200 ? $"… {count} matches in all" : "");
    }

    [Description("Write a file")]
    private string WriteFile([Description("File path relative to the repository root.")] string path, [Description("The complete new content.")] string content)
    {
        var (full, refusal) = sandbox.Resolve(path, write: true);
        if (refusal is not null)
        {
            return $"refused: {refusal}";
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full!, content);
        Written.Add(path);
        return $"wrote {path} ({content.Length} characters)";
    }

    [Description("Apply a patch")]
    private async Task<string> ApplyPatch([Description("A unified diff with a/ and b/ prefixes.")] string patch, CancellationToken cancellationToken)
    {
        foreach (Match header in PatchTarget().Matches(patch))
        {
            var target = header.Groups[1].Value.Trim();
            if (target != "/dev/null" && sandbox.Resolve(target.StartsWith("b/", StringComparison.Ordinal) || target.StartsWith("a/", StringComparison.Ordinal) ? target[2..] : target, write: true) is { Refusal: { } refusal })
            {
                return $"refused: {refusal}";
            }
        }

        var file = Path.Combine(tempDirectory ?? Path.GetTempPath(), $"loops-patch-{Guid.NewGuid():N}.diff");
        await File.WriteAllTextAsync(file, patch.EndsWith('\n') ? patch : patch + "\n", cancellationToken);
        try
        {
            var result = await processes.RunAsync(new ProcessSpec("git", ["apply", "--whitespace=nowarn", "--recount", file], sandbox.Root), cancellationToken);
            return result.Succeeded ? "patch applied" : $"error: the patch does not apply: {result.StandardError.Trim()}";
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Description("Run the gates")]
    private async Task<string> RunGates(CancellationToken cancellationToken) =>
        runGates is null ? "no gates are available in this session" : await runGates(cancellationToken);

    [Description("Finish")]
    private string Finish([Description("What you changed and why.")] string summary)
    {
        FinishSummary = summary.Length == 0 ? "done" : summary;
        return "finished";
    }

    [GeneratedRegex(@"^(?:\+\+\+|---) (.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PatchTarget();
}
