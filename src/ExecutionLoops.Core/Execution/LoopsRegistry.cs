using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Execution;

/// <summary>
/// The one place that registers toil kinds, gates and review targets. The brief vocabulary, the generated JSON
/// Schemas, the working-tree check and every trait lookup read the parts from here; a new kind, gate or target is
/// one class behind its interface plus one line here (or in a host's <see cref="LoopsExtensions"/>).
/// </summary>
public sealed class LoopsRegistry
{
    private readonly Dictionary<string, IToil> _toils;
    private readonly Dictionary<string, IGate> _gates;
    private readonly Dictionary<string, Func<LoopsWorkspace, IReviewTarget>> _reviewTargets;

    /// <summary>Creates a registry from explicit parts (tests use this to add doubles).</summary>
    public LoopsRegistry(IEnumerable<IToil> toils, IEnumerable<IGate> gates, IReadOnlyDictionary<string, Func<LoopsWorkspace, IReviewTarget>> reviewTargets)
    {
        _toils = toils.ToDictionary(t => t.Kind, StringComparer.Ordinal);
        _gates = gates.ToDictionary(g => g.Name, StringComparer.Ordinal);
        _reviewTargets = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>(reviewTargets, StringComparer.Ordinal);
        Vocabulary = new BriefVocabulary(_toils.Values, _gates.Values);
    }

    /// <summary>The kinds and gates briefs may use with this registry, as the parts describe themselves.</summary>
    public BriefVocabulary Vocabulary { get; }

    /// <summary>Names of the registered review targets.</summary>
    public IReadOnlyCollection<string> ReviewTargetNames => _reviewTargets.Keys;

    /// <summary>The gates that can check a developer's working tree in place.</summary>
    public IReadOnlyList<string> WorkingTreeGates => _gates.Values.Where(g => g.ChecksWorkingTree).Select(g => g.Name).ToList();

    /// <summary>The built-in toil kinds, gates and review targets, plus the parts a host adds.</summary>
    public static LoopsRegistry CreateDefault(ProcessRunner processes, TimeProvider clock, LoopsExtensions? extensions = null)
    {
        extensions ??= LoopsExtensions.None;
        var targets = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>(StringComparer.Ordinal)
        {
            ["local"] = workspace => new LocalReviewQueue(workspace.Git, workspace.State.Reviews, clock, LocalReviewQueue.TrustedAuthors(workspace.Config.ReviewOptions)),
        };
        foreach (var (name, factory) in extensions.ReviewTargets)
        {
            targets[name] = factory;
        }

        return new(
            toils: [new FormatToil(), new CommandToil(), new DocsToil(), new DependenciesToil(clock: clock), new AnalyzeToil(), new AgentToil(), new TestsToil(), .. extensions.Toils],
            gates: [new BuildGate(), new TestGate(), new FormatGate(), new DiffGate(), new CommandGate(), new DocsGate(), new AnalyzersGate(), new SecretsGate(), new CoverageGate(), .. extensions.Gates],
            reviewTargets: targets);
    }

    /// <summary>The vocabulary of the built-in parts plus a host's (for lint and schemas, which run nothing).</summary>
    public static BriefVocabulary VocabularyOf(LoopsExtensions? extensions = null) =>
        CreateDefault(new ProcessRunner(), TimeProvider.System, extensions).Vocabulary;

    /// <summary>The executor for a kind, or null.</summary>
    public IToil? FindToil(string kind) => _toils.GetValueOrDefault(kind);

    /// <summary>The gate with a name, or null.</summary>
    public IGate? FindGate(string name) => _gates.GetValueOrDefault(name);

    /// <summary>Per gate, the words that name what it checks in a success criterion.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CriterionWords => _gates.Values.ToDictionary(g => g.Name, g => g.CriterionWords, StringComparer.Ordinal);

    /// <summary>The gates that run on every change of a kind that runs agent-written code, in registration order.</summary>
    public IReadOnlyList<IGate> GatesAlwaysOnAgentCode => _gates.Values.Where(g => g.AlwaysOnAgentCode).ToList();

    /// <summary>Creates the review target named in the config, or null when unknown.</summary>
    public IReviewTarget? CreateReviewTarget(string name, LoopsWorkspace workspace) =>
        _reviewTargets.TryGetValue(name, out var factory) ? factory(workspace) : null;

    /// <summary>Creates the review target the workspace's config names.</summary>
    /// <exception cref="LoopsException">EL4001 when no target of that name is registered.</exception>
    public IReviewTarget RequireReviewTarget(LoopsWorkspace workspace) =>
        CreateReviewTarget(workspace.Config.ReviewTarget, workspace)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.UnknownReviewTarget, $"Unknown review target '{workspace.Config.ReviewTarget}'.", $"Use one of: {string.Join(", ", ReviewTargetNames)}.", workspace.Config.SourcePath);
}

/// <summary>
/// The parts a host registers beside Core's built-in ones: the CLI adds the GitHub review target; a test, a Cake
/// addin or an Azure DevOps task adds its own kinds, gates or targets the same way.
/// </summary>
public sealed record LoopsExtensions
{
    /// <summary>Nothing added.</summary>
    public static LoopsExtensions None { get; } = new();

    /// <summary>Toil kinds added by the host.</summary>
    public IReadOnlyList<IToil> Toils { get; init; } = [];

    /// <summary>Gates added by the host.</summary>
    public IReadOnlyList<IGate> Gates { get; init; } = [];

    /// <summary>Review targets added by the host, by their <c>review.target</c> name.</summary>
    public IReadOnlyDictionary<string, Func<LoopsWorkspace, IReviewTarget>> ReviewTargets { get; init; } = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>();

    /// <summary>Plan shapes for CI job fan-out (<c>loops plan --format NAME</c>) added by the host.</summary>
    public IReadOnlyList<Planning.IPlanFormat> PlanFormats { get; init; } = [];

    /// <summary>These parts and <paramref name="other"/>'s together (a later target of the same name wins).</summary>
    public LoopsExtensions With(LoopsExtensions other)
    {
        var targets = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>(ReviewTargets, StringComparer.Ordinal);
        foreach (var (name, factory) in other.ReviewTargets)
        {
            targets[name] = factory;
        }

        return new LoopsExtensions
        {
            Toils = [.. Toils, .. other.Toils],
            Gates = [.. Gates, .. other.Gates],
            ReviewTargets = targets,
            PlanFormats = [.. PlanFormats, .. other.PlanFormats],
        };
    }
}
