namespace ExecutionLoops.Briefs;

/// <summary>
/// The words a brief may use, as the registered parts describe them: toil kinds (with their sections) and gates
/// (with their options). <paramref name="Planned"/> names parts the product knows of but this host lacks, so the
/// linter can tell "not available here" from a typo.
/// </summary>
public sealed class BriefVocabulary(IEnumerable<IKindDescription> kinds, IEnumerable<IGateDescription> gates, IReadOnlySet<string>? planned = null)
{
    /// <summary>The registered kinds by name.</summary>
    public IReadOnlyDictionary<string, IKindDescription> Kinds { get; } = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>The registered gates by name.</summary>
    public IReadOnlyDictionary<string, IGateDescription> Gates { get; } = gates.ToDictionary(g => g.Name, StringComparer.Ordinal);

    /// <summary>Kinds and gates known to the product but not registered in this host.</summary>
    public IReadOnlySet<string> Planned { get; } = planned ?? new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The brief sections of every registered kind, by key.</summary>
    public IReadOnlyDictionary<string, BriefSection> Sections =>
        Kinds.Values.Select(k => k.Section).OfType<BriefSection>().ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>The description of a kind, or null.</summary>
    public IKindDescription? Kind(string kind) => Kinds.GetValueOrDefault(kind);
}
