using System.Text.RegularExpressions;
using Cronos;
using ExecutionLoops.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Parses one mission brief (YAML front matter + Markdown specification) and lints it: every problem
/// in the file is reported in one pass, with the file's own line and column.
/// </summary>
internal static partial class BriefParser
{
    /// <summary>Parses and lints a brief.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="sourcePath">Absolute path of the file.</param>
    /// <param name="relativePath">Repo-relative path, used in diagnostics.</param>
    /// <param name="vocabulary">The kinds and gates this build can run.</param>
    /// <param name="defaultGates">The config's default gates (a brief without gates uses them).</param>
    public static BriefParseResult Parse(string text, string sourcePath, string relativePath, BriefVocabulary vocabulary, IReadOnlyList<GateSpec> defaultGates)
    {
        var frontMatter = FrontMatter.Split(text, out var opened);
        if (frontMatter is null)
        {
            var diagnostic = opened
                ? Diagnostic.Error(DiagnosticCodes.BrokenFrontMatter, "The front matter is opened with '---' but never closed.", relativePath, 1, 1, "End the YAML block with a line containing only '---'.")
                : Diagnostic.Error(DiagnosticCodes.NoFrontMatter, "The brief has no YAML front matter.", relativePath, 1, 1, "Start the file with '---', the mission's keys (at least 'kind:'), and another '---' line.");
            return new BriefParseResult(null, [diagnostic]);
        }

        // Line 1 of the YAML is line 2 of the file (after the opening '---').
        var reader = new YamlNodeReader(relativePath, lineOffset: 1);
        if (YamlExpansion.FindOverflow(frontMatter.Yaml) is { } overflow)
        {
            return new BriefParseResult(null, [TooLarge(relativePath, overflow.Line + 1, overflow.Column)]);
        }

        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(frontMatter.Yaml));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            var (message, line, column) = YamlErrorLocator.Locate(frontMatter.Yaml, ex);
            return new BriefParseResult(null, [Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"YAML syntax error: {Clean(message)}", relativePath, line + 1, column, "Check indentation, brackets and quoting; values containing ': ' or '#' need quotes.")]);
        }

        if (root is null)
        {
            return new BriefParseResult(null, [Diagnostic.Error(DiagnosticCodes.BrokenFrontMatter, "The front matter must be a mapping of keys (kind:, gates:, …).", relativePath, 2, 1, "Add at least 'kind: format' between the '---' lines.")]);
        }

        var brief = Read(reader, root, frontMatter, sourcePath, relativePath, vocabulary, defaultGates);
        var diagnostics = reader.Diagnostics;
        return new BriefParseResult(diagnostics.Any(d => d.IsError) ? null : brief, diagnostics);
    }

    private static MissionBrief Read(YamlNodeReader reader, YamlMappingNode root, FrontMatter frontMatter, string sourcePath, string relativePath, BriefVocabulary vocabulary, IReadOnlyList<GateSpec> defaultGates)
    {
        var entries = reader.Entries(root, [.. BriefKeys.Brief, .. vocabulary.Sections.Keys], "the brief");
        YamlNode? Node(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;

        var fileId = Path.GetFileNameWithoutExtension(sourcePath);
        var id = Node("id") is { } idNode ? reader.String(idNode, "id") ?? fileId : fileId;
        if (!IdPattern().IsMatch(id))
        {
            var hint = Node("id") is null
                ? $"The id comes from the file name; rename the file or set 'id:' to lowercase letters, digits and dashes (e.g. '{Slug(id)}')."
                : $"Use lowercase letters, digits and dashes, e.g. '{Slug(id)}'.";
            reader.Error(DiagnosticCodes.InvalidId, Node("id") ?? root, $"Invalid mission id '{id}'.", hint);
        }
        else if (id.Length > MaxIdLength)
        {
            // Every path derived from the id (branch, worktree, clone, log, journal) must stay valid on Windows and Linux.
            reader.Error(DiagnosticCodes.InvalidId, Node("id") ?? root, $"Mission id '{id[..20]}…' has {id.Length} characters; at most {MaxIdLength} are allowed.", $"Shorten it{(Node("id") is null ? " (it comes from the file name; rename the file or set 'id:')" : "")}, e.g. '{id[..Math.Min(id.Length, 40)].TrimEnd('-')}'.");
        }

        var loop = MissionLoop.Delegate;
        if (Node("loop") is { } loopNode && reader.String(loopNode, "loop") is { } loopText)
        {
            switch (loopText)
            {
                case "delegate": loop = MissionLoop.Delegate; break;
                case "pair": loop = MissionLoop.Pair; break;
                default:
                    reader.Error(DiagnosticCodes.InvalidValue, loopNode, $"'loop' must be 'delegate' or 'pair', not '{loopText}'.", Suggest.DidYouMean(loopText, ["delegate", "pair"]));
                    break;
            }
        }

        var kind = "";
        var known = vocabulary.Kinds.Keys.Order(StringComparer.Ordinal).ToList();
        if (Node("kind") is not { } kindNode)
        {
            reader.Error(DiagnosticCodes.MissingValue, root, "The brief has no 'kind'.", $"Add 'kind:' with one of: {string.Join(", ", known)}.");
        }
        else if (reader.String(kindNode, "kind") is { } kindText)
        {
            kind = kindText;
            if (vocabulary.Planned.Contains(kindText))
            {
                if (loop == MissionLoop.Delegate)
                {
                    reader.Error(DiagnosticCodes.UnknownKind, kindNode, $"The kind '{kindText}' is planned but not available in this version.", $"Available kinds: {string.Join(", ", known)}.");
                }
            }
            else if (vocabulary.Kind(kindText) is null)
            {
                reader.Error(DiagnosticCodes.UnknownKind, kindNode, $"Unknown kind '{kindText}'.", Suggest.DidYouMean(kindText, known) ?? $"Known kinds: {string.Join(", ", known)}.");
            }
        }

        var trigger = Node("on") is { } onNode ? ReadTrigger(reader, onNode) : MissionTrigger.ManualOnly;
        var scope = Node("scope") is { } scopeNode ? ReadScope(reader, scopeNode) : MissionScope.Everything;
        var constraints = Node("constraints") is { } constraintsNode ? ReadConstraints(reader, constraintsNode) : MissionConstraints.None;
        var gates = Node("gates") is { } gatesNode ? GateListReader.Read(reader, gatesNode, vocabulary) : [];
        var success = Node("success") is { } successNode ? reader.StringList(successNode, "success") : [];
        var review = Node("review") is { } reviewNode ? ReadReview(reader, reviewNode) : ReviewSettings.Default;
        var agent = Node("agent") is { } agentNode ? ReadScalarMap(reader, agentNode, "agent") : new Dictionary<string, string>();
        var pair = Node("pair") is { } pairNode ? ReadPair(reader, pairNode) : null;
        var settings = ReadSections(reader, vocabulary, Node);
        if (Node("notify") is { } notifyNode)
        {
            settings[typeof(Notifications.NotifySettings)] = Notifications.NotifySection.Instance.Read(reader, notifyNode);
        }
        var solution = Node("solution") is { } solutionNode ? reader.String(solutionNode, "solution") : null;
        if (solution is not null)
        {
            CheckInsideRepo(reader, solutionNode: Node("solution")!, solution, "solution");
        }

        if (vocabulary.Kind(kind)?.Section is { WhenMissing: var (missingMessage, missingHint) } section && Node(section.Key) is null)
        {
            reader.Error(DiagnosticCodes.MissingValue, Node("kind"), missingMessage, missingHint);
        }

        // The seed's anti-patterns, as lint rules.
        if (loop == MissionLoop.Delegate)
        {
            if (success.Count == 0)
            {
                reader.Warning(DiagnosticCodes.NoSuccessCriteria, Node("success") ?? root, "Delegated mission without success criteria (anti-pattern: async delegation without clear specs).", "Add 'success:' with the checks a reviewer will apply.");
            }

            if (Node("constraints") is null or YamlMappingNode { Children.Count: 0 })
            {
                reader.Warning(DiagnosticCodes.NoConstraints, Node("constraints") ?? root, "Delegated mission without constraints (anti-pattern: async delegation without clear specs).", "Add 'constraints:' with max-files, max-lines and timeout.");
            }

            if (gates.Count == 0 && defaultGates.Count == 0 && !reader.Diagnostics.Any(d => d.Code == DiagnosticCodes.UnknownGate))
            {
                reader.Error(DiagnosticCodes.NoGates, Node("gates") ?? root, "Delegated mission without quality gates (anti-pattern: missing quality gates).", "Add 'gates: [build, test]' to the brief, or default gates to .loops/config.yml.");
            }
        }
        else if (vocabulary.Kind(kind)?.IsRoutine == true)
        {
            reader.Warning(DiagnosticCodes.PairForRoutineToil, Node("loop"), $"A pair session for routine '{kind}' toil (anti-pattern: using sync mode for routine tasks).", "Delegate it instead: set 'loop: delegate' and let a pipeline run it behind gates.");
        }

        return new MissionBrief
        {
            Id = id,
            Loop = loop,
            Kind = kind,
            Trigger = trigger,
            Scope = scope,
            Constraints = constraints,
            Gates = gates,
            Success = success,
            Review = review,
            Agent = agent,
            Pair = pair,
            Solution = solution,
            Settings = settings,
            Title = Title(frontMatter.Body) ?? id,
            Specification = frontMatter.Body.Trim('\n'),
            SourcePath = sourcePath,
            RelativePath = relativePath,
        };
    }

    /// <summary>Reads the sections the registered kinds declare, each into its settings record.</summary>
    private static Dictionary<Type, object> ReadSections(YamlNodeReader reader, BriefVocabulary vocabulary, Func<string, YamlNode?> node)
    {
        var settings = new Dictionary<Type, object>();
        foreach (var section in vocabulary.Sections.Values)
        {
            if (node(section.Key) is { } value && section.Read(reader, value) is { } read)
            {
                settings[read.GetType()] = read;
            }
        }

        return settings;
    }

    private static MissionTrigger ReadTrigger(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "on") is not { } mapping)
        {
            return MissionTrigger.ManualOnly;
        }

        var entries = reader.Entries(mapping, BriefKeys.On, "'on'");
        string? schedule = null;
        if (entries.TryGetValue("schedule", out var scheduleEntry) && reader.String(scheduleEntry.Value, "schedule") is { } cron)
        {
            try
            {
                if (CronExpression.Parse(cron).GetNextOccurrence(DateTime.UnixEpoch) is null)
                {
                    // Cronos looks years ahead: no occurrence means a date that never comes (Feb 31, Apr 31).
                    reader.Error(DiagnosticCodes.InvalidCron, scheduleEntry.Value, $"The cron expression '{cron}' never fires: no date matches it.", "Check the day of month against the month (e.g. '0 0 31 2 *' asks for February 31st).");
                }
                else
                {
                    schedule = cron;
                }
            }
            catch (CronFormatException ex)
            {
                reader.Error(DiagnosticCodes.InvalidCron, scheduleEntry.Value, $"Invalid cron expression '{cron}': {ex.Message}", "Use five fields in UTC: minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1\".");
            }
        }

        var manual = entries.TryGetValue("manual", out var manualEntry) ? reader.Bool(manualEntry.Value, "manual") : null;
        return new MissionTrigger(schedule, manual ?? schedule is null);
    }

    private static MissionScope ReadScope(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "scope") is not { } mapping)
        {
            return MissionScope.Everything;
        }

        var entries = reader.Entries(mapping, BriefKeys.Scope, "'scope'");
        IReadOnlyList<string> Globs(string key)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                return [];
            }

            var globs = reader.StringList(entry.Value, key);
            var items = entry.Value is YamlSequenceNode sequence ? sequence.Children : [];
            for (var i = 0; i < globs.Count && i < items.Count; i++)
            {
                CheckInsideRepo(reader, items[i], globs[i], $"scope.{key}");
            }

            return globs;
        }

        var include = Globs("include");
        return new MissionScope(include.Count == 0 ? MissionScope.Everything.Include : include, Globs("exclude"));
    }

    internal static void CheckInsideRepo(YamlNodeReader reader, YamlNode solutionNode, string path, string key)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.StartsWith('~') || (normalized.Length > 1 && normalized[1] == ':') || normalized.Split('/').Contains(".."))
        {
            reader.Error(DiagnosticCodes.ScopeEscapesRepo, solutionNode, $"'{path}' in {key} points outside the repository.", "Use a path relative to the repository root without '..', e.g. \"src/**\".");
        }
    }

    private static MissionConstraints ReadConstraints(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "constraints") is not { } mapping)
        {
            return MissionConstraints.None;
        }

        var entries = reader.Entries(mapping, BriefKeys.Constraints, "'constraints'");
        return new MissionConstraints(
            entries.TryGetValue("max-files", out var files) ? reader.PositiveInt(files.Value, "max-files") : null,
            entries.TryGetValue("max-lines", out var lines) ? reader.PositiveInt(lines.Value, "max-lines") : null,
            entries.TryGetValue("timeout", out var timeout) ? reader.Duration(timeout.Value, "timeout") : null)
        {
            MaxBytes = entries.TryGetValue("max-bytes", out var bytes) ? reader.Size(bytes.Value, "max-bytes") : null,
            AllowBinary = entries.TryGetValue("allow-binary", out var binary) && reader.Bool(binary.Value, "allow-binary") == true,
        };
    }





    private static ReviewSettings ReadReview(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "review") is not { } mapping)
        {
            return ReviewSettings.Default;
        }

        var entries = reader.Entries(mapping, BriefKeys.Review, "'review'");
        var draft = DraftPolicy.AdvisoryGatesFail;
        if (entries.TryGetValue("draft-when", out var draftEntry) && reader.String(draftEntry.Value, "draft-when") is { } draftText)
        {
            draft = draftText switch
            {
                "advisory-gates-fail" => DraftPolicy.AdvisoryGatesFail,
                "always" => DraftPolicy.Always,
                "never" => DraftPolicy.Never,
                _ => Invalid(),
            };

            DraftPolicy Invalid()
            {
                reader.Error(DiagnosticCodes.InvalidValue, draftEntry.Value, $"'draft-when' must be advisory-gates-fail, always or never, not '{draftText}'.", Suggest.DidYouMean(draftText, ["advisory-gates-fail", "always", "never"]));
                return DraftPolicy.AdvisoryGatesFail;
            }
        }

        return new ReviewSettings(
            entries.TryGetValue("title", out var title) ? reader.String(title.Value, "title") : null,
            entries.TryGetValue("labels", out var labels) ? reader.StringList(labels.Value, "labels") : [],
            entries.TryGetValue("reviewers", out var reviewers) ? reader.StringList(reviewers.Value, "reviewers") : [],
            draft,
            entries.TryGetValue("commit-message", out var message) ? reader.String(message.Value, "commit-message") : null)
        {
            Assignees = entries.TryGetValue("assignees", out var assignees) ? reader.StringList(assignees.Value, "assignees") : [],
            Milestone = entries.TryGetValue("milestone", out var milestone) ? reader.String(milestone.Value, "milestone") : null,
            Issue = entries.TryGetValue("issue", out var issue) ? reader.PositiveInt(issue.Value, "issue") : null,
            OptionalReviewers = entries.TryGetValue("optional-reviewers", out var optional) ? reader.StringList(optional.Value, "optional-reviewers") : [],
            WorkItems = entries.TryGetValue("work-items", out var workItems) ? ReadWorkItems(reader, workItems.Value) : [],
            AutoComplete = entries.TryGetValue("auto-complete", out var autoComplete) && reader.Bool(autoComplete.Value, "auto-complete") == true,
        };
    }

    /// <summary>Work item ids: a list of positive whole numbers.</summary>
    private static List<int> ReadWorkItems(YamlNodeReader reader, YamlNode node)
    {
        var ids = new List<int>();
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(DiagnosticCodes.InvalidValue, node, "'work-items' must be a list of work item ids.", "Write e.g. work-items: [1234, 1240].");
            return ids;
        }

        foreach (var item in sequence.Children)
        {
            if (reader.PositiveInt(item, "work-items") is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static PairSettings? ReadPair(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "pair") is not { } mapping)
        {
            return null;
        }

        var entries = reader.Entries(mapping, BriefKeys.Pair, "'pair'");
        return new PairSettings(
            entries.TryGetValue("goal", out var goal) ? reader.String(goal.Value, "goal") : null,
            entries.TryGetValue("timebox", out var timebox) ? reader.Duration(timebox.Value, "timebox") : null);
    }

    internal static IReadOnlyDictionary<string, string> ReadScalarMap(YamlNodeReader reader, YamlNode node, string key)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(node, key) is not { } mapping)
        {
            return values;
        }

        foreach (var (name, value) in mapping.Children)
        {
            if ((name as YamlScalarNode)?.Value is not { } text)
            {
                continue;
            }

            if (key == "agent" && !BriefKeys.Agent.Contains(text))
            {
                reader.Error(DiagnosticCodes.UnknownKey, name, $"Unknown key '{text}' in 'agent'.", Suggest.DidYouMean(text, BriefKeys.Agent) ?? $"Allowed keys: {string.Join(", ", BriefKeys.Agent)}.");
                continue;
            }

            // Lists (agent.env) are kept as newline-separated text, as gate options are.
            var scalar = value is YamlSequenceNode ? string.Join('\n', reader.StringList(value, $"{key}.{text}")) : reader.String(value, $"{key}.{text}");
            if (scalar is not null)
            {
                values[text] = scalar;
            }
        }

        return values;
    }

    private static string? Title(string body)
    {
        foreach (var line in body.Split('\n'))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                return line[2..].Trim();
            }
        }

        return null;
    }

    private static string Slug(string text)
    {
        var slug = SlugPattern().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "my-mission" : slug;
    }

    /// <summary>EL1015: aliases expand the YAML past <see cref="YamlExpansion.Limit"/>.</summary>
    internal static Diagnostic TooLarge(string path, int line, int column) =>
        Diagnostic.Error(DiagnosticCodes.YamlTooLarge, $"YAML aliases expand this file to more than {YamlExpansion.Limit / 1024} KB of text; this alias takes it over the limit.", path, line, column, "Repeat less through anchors and aliases; a brief needs a few kilobytes.");

    /// <summary>The longest mission id: its branch, worktree, clone, scratch folder and log paths stay well inside path limits.</summary>
    public const int MaxIdLength = 64;

    private static string Clean(string message) =>
        message.StartsWith('(') && message.Contains(": ", StringComparison.Ordinal) ? message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..] : message;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
