using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Briefs;

/// <summary>Settings a toil kind reads from its brief section; <see cref="Default"/> applies when the brief has none.</summary>
/// <typeparam name="TSelf">The settings record itself.</typeparam>
public interface IBriefSettings<TSelf>
    where TSelf : class, IBriefSettings<TSelf>
{
    /// <summary>The settings of a brief without the section.</summary>
    static abstract TSelf Default { get; }
}

/// <summary>
/// A top-level brief key that belongs to one toil kind (<c>docs:</c>, <c>dependencies:</c>, <c>commands:</c>…): the kind
/// declares it, and the parser, the linter and the generated JSON Schema learn it from the declaration.
/// </summary>
public abstract class BriefSection
{
    // Only BriefSection<T> derives directly: every section's settings have a type of their own to be found by.
    private protected BriefSection()
    {
    }

    /// <summary>The key in the brief's front matter.</summary>
    public abstract string Key { get; }

    /// <summary>One sentence for editors and the schema.</summary>
    public abstract string Description { get; }

    /// <summary>The options of a flat section (<c>key: {name: value}</c>); complex sections override the reader and schema instead.</summary>
    public virtual IReadOnlyList<OptionSpec> Options => [];

    /// <summary>
    /// The error and hint when a mission of the owning kind has no section and cannot run without one, or null when
    /// the defaults do.
    /// </summary>
    public virtual (string Message, string Hint)? WhenMissing => null;

    /// <summary>The JSON Schema of the section's value.</summary>
    public virtual JsonObject Schema() => OptionSchema.Mapping(Description, Options);

    /// <summary>Reads the section into its settings record; problems go to the reader with file and line.</summary>
    internal virtual object Read(YamlNodeReader reader, YamlNode node) =>
        Bind(new OptionValues(OptionReader.Read(reader, node, node, Key, $"the '{Key}' section", Options)));

    /// <summary>Turns validated flat options into the settings record.</summary>
    protected virtual object Bind(OptionValues values) => values;
}

/// <summary>A section whose settings are the record <typeparamref name="T"/>.</summary>
// RS0022: by design, extensions derive from BriefSection<T>, never from BriefSection itself.
#pragma warning disable RS0022
public abstract class BriefSection<T> : BriefSection
#pragma warning restore RS0022
    where T : class, IBriefSettings<T>
{
    /// <inheritdoc />
    protected sealed override object Bind(OptionValues values) => BindSettings(values);

    /// <summary>Turns validated flat options into <typeparamref name="T"/>.</summary>
    protected virtual T BindSettings(OptionValues values) => T.Default;
}
