using System.Globalization;
using System.Text.RegularExpressions;

namespace ExecutionLoops.Briefs;

/// <summary>Sizes as people write them in a brief: <c>4000000</c>, <c>500KB</c>, <c>5MB</c>, <c>1GB</c> (powers of 1024; KiB/MiB/GiB too).</summary>
internal static partial class ByteSize
{
    /// <summary>What a change may add when the brief sets no <c>max-bytes</c>.</summary>
    public const long DefaultLimit = 5L * 1024 * 1024;

    /// <summary>Examples for error hints.</summary>
    public const string Examples = "Write a size such as 500KB, 5MB or 2000000.";

    /// <summary>Parses a size; false when the text is not one.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null || SizePattern().Match(text.Trim()) is not { Success: true } match)
        {
            return false;
        }

        var unit = match.Groups[2].Value.ToUpperInvariant().Replace("I", "", StringComparison.Ordinal);
        var factor = unit switch { "KB" or "K" => 1024L, "MB" or "M" => 1024L * 1024, "GB" or "G" => 1024L * 1024 * 1024, _ => 1L };
        bytes = (long)(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * factor);
        return bytes > 0;
    }

    /// <summary>A size as people read it.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.#} GB"),
        >= 1024L * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(B|KB|K|KiB|MB|M|MiB|GB|G|GiB)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
