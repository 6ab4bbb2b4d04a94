using System.CommandLine;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Cli.Commands;

/// <summary><c>loops init</c>: scaffolds the config, an example mission and the schemas; never overwrites.</summary>
internal static class InitCommand
{
    private const string Config = """
        # yaml-language-server: $schema=./schemas/config.schema.json
        # ExecutionLoops repository defaults; every mission brief can override them.

        # Branch missions start from and review items merge into (default: the current branch).
        # base-branch: main

        # Where mission briefs live.
        missions: .loops/missions/*.md

        # The .sln/.slnx/.csproj missions build, test and format (default: the one at the root).
        # solution: MySolution.sln

        review:
          target: local          # the embedded review queue: loops review list

        # Gates for briefs that name none.
        gates: [build, test]

        # Extra protected paths (global.json, nuget.config, Directory.Build.*, *.props, *.targets and CI files are built in).
        # protected-paths: ["eng/**"]

        # Default mission timeout.
        timeout: 30m

        # The AI agent of agent and tests missions and of 'loops pair ask' (a brief's agent: keys win).
        # agent:
        #   preset: claude             # claude | codex | aider | copilot; or command: "my-agent {prompt_file}"
        #   model: sonnet
        #   max-attempts: 3            # failed gates go back to the agent
        #   # use: chat                # or an OpenAI-compatible endpoint with loops' own tools:
        #   # endpoint: http://localhost:11434/v1
        #   # api-key-env: OPENAI_API_KEY
        """;

    private const string Mission = """
        ---
        # A mission brief: YAML front matter (schema: loops schema mission) and a Markdown specification.
        kind: format                  # format | command | docs | dependencies | analyze | tests | agent
        on:
          schedule: "0 3 * * 1"       # cron in UTC; or: manual: true
        scope:
          include: ["src/**", "tests/**"]
        constraints:
          max-files: 50
          max-lines: 1000
          timeout: 15m
        gates: [build, test, format, {diff: {max-lines: 1000}}]
        success:
          - Every C# file follows .editorconfig
          - The build and the tests still pass
        review:
          title: "style: format the code"
          labels: [toil, style]
        ---
        # Format the code

        Run `dotnet format` over `src/` and `tests/` so every file follows the repository's
        `.editorconfig`. Change nothing else.
        """;

    private static readonly string[] IgnoredPaths = [".loops/state/", ".loops/pair/"];

    /// <summary>The config, with <c>solution:</c> set when no solution is at the root but exactly one is below it.</summary>
    private static string WithSolution(string root)
    {
        if (SolutionLocator.Check(root, null) is null || SolutionLocator.FindBelow(root) is not [var only])
        {
            return Config;
        }

        return Config.Replace("# solution: MySolution.sln", $"solution: {only}", StringComparison.Ordinal);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Scaffold .loops/config.yml, an example mission and the JSON schemas; refuses to overwrite existing files.");
        CommandAction.Set(command, context, async (parse, cancellationToken) =>
        {
            // Like every other command, init works in a git repository (EL2001 elsewhere), at its top.
            var root = (await GitRepository.DiscoverAsync(GlobalOptions.RepoPath(context, parse), new ProcessRunner(), cancellationToken)).Root;
            var vocabulary = Execution.LoopsRegistry.VocabularyOf(context.Extensions);
            var files = new (string Path, string Content)[]
            {
                (".loops/config.yml", WithSolution(root) + "\n"),
                (".loops/missions/format-code.md", Mission + "\n"),
                (".loops/schemas/config.schema.json", BriefSchemas.Config(vocabulary)),
                (".loops/schemas/mission.schema.json", BriefSchemas.Mission(vocabulary)),
            };
            var existing = files.Where(f => File.Exists(Path.Combine(root, f.Path))).ToList();
            if (existing.Count > 0)
            {
                throw new LoopsException(ExitCodes.InvalidInput, existing.Select(f => Diagnostic.Error(DiagnosticCodes.AlreadyExists, $"'{f.Path}' already exists; init wrote nothing.", f.Path, hint: "Move it aside to scaffold afresh, or edit it by hand.")).ToList());
            }

            foreach (var (path, content) in files)
            {
                var full = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content.Replace("\r\n", "\n", StringComparison.Ordinal));
                context.Output.WriteLine($"created {path}");
            }

            var gitignore = Path.Combine(root, ".gitignore");
            var lines = File.Exists(gitignore) ? File.ReadAllLines(gitignore) : [];
            var missing = IgnoredPaths.Where(p => !lines.Contains(p)).ToList();
            if (missing.Count > 0)
            {
                var prefix = lines.Length > 0 && !File.ReadAllText(gitignore).EndsWith('\n') ? "\n" : "";
                File.AppendAllText(gitignore, prefix + "# ExecutionLoops state (journal, logs, review queue) and pair sessions\n" + string.Join('\n', missing) + "\n");
                context.Output.WriteLine($"updated .gitignore ({string.Join(", ", missing)})");
            }

            context.Output.WriteLine();
            context.Output.WriteLine("Next: edit .loops/missions/format-code.md, then run 'loops lint', 'loops plan' and 'loops delegate --mission format-code'.");
            return ExitCodes.Success;
        });
        return command;
    }
}
