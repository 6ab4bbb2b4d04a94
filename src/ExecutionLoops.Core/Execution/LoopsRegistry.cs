using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Gates;
using ExecutionLoops.Processes;
using ExecutionLoops.Review;
using ExecutionLoops.Toil;

namespace ExecutionLoops.Execution;

/// <summary>
/// The one place that registers toil kinds, gates and review targets. A new kind, gate or target is
/// one class behind its interface plus one line here.
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
        Vocabulary = new BriefVocabulary(_toils.Keys.ToHashSet(StringComparer.Ordinal), _gates.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The kinds and gates briefs may use with this registry.</summary>
    public BriefVocabulary Vocabulary { get; }

    /// <summary>Names of the registered review targets.</summary>
    public IReadOnlyCollection<string> ReviewTargetNames => _reviewTargets.Keys;

    /// <summary>The built-in toil kinds, gates and review targets, plus the review targets a host adds.</summary>
    public static LoopsRegistry CreateDefault(ProcessRunner processes, TimeProvider clock, IReadOnlyDictionary<string, Func<LoopsWorkspace, IReviewTarget>>? hostReviewTargets = null)
    {
        var targets = new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>(StringComparer.Ordinal)
        {
            ["local"] = workspace => new LocalReviewQueue(workspace.Git, workspace.State.Reviews, clock, LocalReviewQueue.TrustedAuthors(workspace.Config.ReviewOptions)),
        };
        foreach (var (name, factory) in hostReviewTargets ?? new Dictionary<string, Func<LoopsWorkspace, IReviewTarget>>())
        {
            targets[name] = factory;
        }

        return new(
            toils: [new FormatToil(), new CommandToil(), new DocsToil(), new DependenciesToil(clock: clock), new AnalyzeToil(), new AgentToil(), new TestsToil()],
            gates: [new BuildGate(), new TestGate(), new FormatGate(), new DiffGate(), new CommandGate(), new DocsGate(), new AnalyzersGate(), new SecretsGate(), new CoverageGate()],
            reviewTargets: targets);
    }

    /// <summary>The executor for a kind, or null.</summary>
    public IToil? FindToil(string kind) => _toils.GetValueOrDefault(kind);

    /// <summary>The gate with a name, or null.</summary>
    public IGate? FindGate(string name) => _gates.GetValueOrDefault(name);

    /// <summary>Creates the review target named in the config, or null when unknown.</summary>
    public IReviewTarget? CreateReviewTarget(string name, LoopsWorkspace workspace) =>
        _reviewTargets.TryGetValue(name, out var factory) ? factory(workspace) : null;

    /// <summary>Creates the review target the workspace's config names.</summary>
    /// <exception cref="LoopsException">EL4001 when no target of that name is registered.</exception>
    public IReviewTarget RequireReviewTarget(LoopsWorkspace workspace) =>
        CreateReviewTarget(workspace.Config.ReviewTarget, workspace)
            ?? throw LoopsException.InvalidInput(DiagnosticCodes.UnknownReviewTarget, $"Unknown review target '{workspace.Config.ReviewTarget}'.", $"Use one of: {string.Join(", ", ReviewTargetNames)}.", workspace.Config.SourcePath);
}
