using ExecutionLoops.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>Loads <c>.loops/config.yml</c>; a missing file means defaults, problems are EL1xxx diagnostics with lines.</summary>
internal static class ConfigLoader
{
    /// <summary>
    /// Loads the config of the repository at <paramref name="repositoryRoot"/>, then applies the environment
    /// overrides pipelines use: <c>LOOPS_BASE_BRANCH</c>, <c>LOOPS_MISSIONS</c> (globs separated by ';') and
    /// <c>LOOPS_AGENT_&lt;KEY&gt;</c> (agent settings).
    /// </summary>
    public static ConfigLoadResult Load(string repositoryRoot, BriefVocabulary vocabulary)
    {
        var (config, diagnostics) = LoadFile(repositoryRoot, vocabulary);
        if (Environment.GetEnvironmentVariable("LOOPS_BASE_BRANCH") is { Length: > 0 } baseBranch)
        {
            config = config with { BaseBranch = baseBranch };
        }

        if (Environment.GetEnvironmentVariable("LOOPS_MISSIONS") is { Length: > 0 } missions)
        {
            config = config with { Missions = missions.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
        }

        // LOOPS_AGENT_<KEY>=value sets agent.<key> (pipelines pass agent settings this way).
        var overrides = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(v => ((string)v.Key).StartsWith("LOOPS_AGENT_", StringComparison.Ordinal) && v.Value is string { Length: > 0 })
            .ToList();
        if (overrides.Count > 0)
        {
            var agent = new Dictionary<string, string>(config.Agent, StringComparer.Ordinal);
            foreach (var variable in overrides)
            {
                agent[((string)variable.Key)["LOOPS_AGENT_".Length..].ToLowerInvariant().Replace('_', '-')] = (string)variable.Value!;
            }

            config = config with { Agent = agent };
        }

        return new ConfigLoadResult(config, diagnostics);
    }

    private static ConfigLoadResult LoadFile(string repositoryRoot, BriefVocabulary vocabulary)
    {
        var path = Path.Combine(repositoryRoot, LoopsConfig.DefaultPath);
        if (!File.Exists(path))
        {
            return new ConfigLoadResult(LoopsConfig.Default, []);
        }

        var relative = LoopsConfig.DefaultPath;
        var reader = new YamlNodeReader(relative, lineOffset: 0);
        if (YamlExpansion.FindOverflow(File.ReadAllText(path)) is { } overflow)
        {
            return new ConfigLoadResult(LoopsConfig.Default with { SourcePath = path }, [BriefParser.TooLarge(relative, overflow.Line, overflow.Column)]);
        }

        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(path)));
            if (stream.Documents.Count == 0)
            {
                return new ConfigLoadResult(LoopsConfig.Default with { SourcePath = path }, []);
            }

            root = stream.Documents[0].RootNode as YamlMappingNode;
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            var (message, line, column) = YamlErrorLocator.Locate(File.ReadAllText(path), ex);
            var diagnostic = Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"YAML syntax error: {message}", relative, line, column, "Check indentation, brackets and quoting.");
            return new ConfigLoadResult(LoopsConfig.Default with { SourcePath = path }, [diagnostic]);
        }

        if (root is null)
        {
            return new ConfigLoadResult(LoopsConfig.Default with { SourcePath = path }, [Diagnostic.Error(DiagnosticCodes.WrongType, "The config must be a mapping of keys (base-branch:, gates:, …).", relative, 1, 1)]);
        }

        var entries = reader.Entries(root, BriefKeys.Config, "the config");
        YamlNode? Node(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;
        var config = LoopsConfig.Default with { SourcePath = path };

        if (Node("base-branch") is { } baseBranch)
        {
            config = config with { BaseBranch = reader.String(baseBranch, "base-branch") };
        }

        if (Node("missions") is { } missions)
        {
            var globs = missions is YamlScalarNode ? reader.String(missions, "missions") is { } one ? [one] : [] : reader.StringList(missions, "missions");
            config = config with { Missions = globs.Count > 0 ? globs : config.Missions };
        }

        if (Node("solution") is { } solution)
        {
            config = config with { Solution = reader.String(solution, "solution") };
        }

        if (Node("review") is { } review && reader.Mapping(review, "review") is { } reviewMap)
        {
            var reviewEntries = reader.Entries(reviewMap, BriefKeys.ConfigReview, "'review'");
            if (reviewEntries.TryGetValue("target", out var target) && reader.String(target.Value, "target") is { } targetName)
            {
                config = config with { ReviewTarget = targetName };
            }

            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, (_, value)) in reviewEntries.Where(e => e.Key != "target"))
            {
                if (reader.String(value, $"review.{key}") is { } text)
                {
                    options[key] = text;
                }
            }

            config = config with { ReviewOptions = options };
        }

        if (Node("gates") is { } gates)
        {
            config = config with { Gates = GateListReader.Read(reader, gates, vocabulary) };
        }

        if (Node("protected-paths") is { } protectedPaths)
        {
            config = config with { ProtectedPaths = reader.StringList(protectedPaths, "protected-paths") };
        }

        if (Node("timeout") is { } timeout && reader.Duration(timeout, "timeout") is { } missionTimeout)
        {
            config = config with { MissionTimeout = missionTimeout };
        }

        if (Node("state-dir") is { } stateDir && reader.String(stateDir, "state-dir") is { } state)
        {
            config = config with { StateDirectory = state };
        }

        if (Node("agent") is { } agent)
        {
            config = config with { Agent = BriefParser.ReadScalarMap(reader, agent, "agent") };
        }

        if (Node("notify") is { } notify)
        {
            config = config with { Notify = Notifications.NotifySection.ReadSettings(reader, notify, isConfig: true) };
        }

        return new ConfigLoadResult(config, reader.Diagnostics);
    }
}
