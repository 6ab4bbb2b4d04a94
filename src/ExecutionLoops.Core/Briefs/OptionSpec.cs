using System.Globalization;

namespace ExecutionLoops.Briefs;

/// <summary>The value types a flat option (of a gate, or of a toil's brief section) may have.</summary>
public enum OptionType
{
    /// <summary>Any single value.</summary>
    Text,

    /// <summary>A list, or one comma- or space-separated value.</summary>
    TextList,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>A whole number of at least 1.</summary>
    PositiveInt,

    /// <summary>A whole number of at least 0.</summary>
    Count,

    /// <summary>Any number.</summary>
    Number,

    /// <summary>A size: 500KB, 5MB, 2000000.</summary>
    Size,

    /// <summary>A duration: 90s, 15m, 1h30m.</summary>
    Duration,
}

/// <summary>
/// One option a part understands: its name, type and meaning. The same declaration validates briefs at lint time,
/// describes the option in the generated JSON Schema, and reads the typed value at run time.
/// </summary>
/// <param name="Name">The key in YAML.</param>
/// <param name="Type">Its value type.</param>
/// <param name="Description">One sentence for editors and the schema.</param>
public sealed record OptionSpec(string Name, OptionType Type, string Description)
{
    /// <summary>True when the part cannot work without the option.</summary>
    public bool Required { get; init; }

    /// <summary>An example value, shown in the hint when a required option is missing.</summary>
    public string? Example { get; init; }
}

/// <summary>
/// The options written for one part, as validated text. Parts read them through the typed accessors; a value that
/// passed lint always parses, so the accessors only fall back for briefs that were never linted.
/// </summary>
public sealed class OptionValues(IReadOnlyDictionary<string, string> values)
{
    /// <summary>No options.</summary>
    public static OptionValues Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>The raw text of each option given.</summary>
    public IReadOnlyDictionary<string, string> Raw { get; } = values;

    /// <summary>The text of an option, or null.</summary>
    public string? Text(string name) => Raw.GetValueOrDefault(name);

    /// <summary>A list option: the items of a YAML list, or the parts of a comma- or space-separated value.</summary>
    public IReadOnlyList<string>? List(string name) =>
        Text(name)?.Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A boolean option, or null.</summary>
    public bool? Bool(string name) => ParseBool(Text(name));

    /// <summary>true, false, or null for anything else; YAML's yes/no and on/off count.</summary>
    public static bool? ParseBool(string? text) => text switch
    {
        "true" or "True" or "TRUE" or "yes" or "on" => true,
        "false" or "False" or "FALSE" or "no" or "off" => false,
        _ => null,
    };

    /// <summary>A whole-number option, or null.</summary>
    public int? WholeNumber(string name) =>
        int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A number option, or null.</summary>
    public double? Number(string name) =>
        double.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A size option in bytes, or null.</summary>
    public long? Size(string name) => ByteSize.TryParse(Text(name), out var bytes) ? bytes : null;

    /// <summary>A duration option, or null.</summary>
    public TimeSpan? Duration(string name) => DurationParser.TryParse(Text(name), out var duration) ? duration : null;
}
