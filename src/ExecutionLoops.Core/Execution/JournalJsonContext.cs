using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecutionLoops.Execution;

/// <summary>
/// Source-generated JSON metadata of the journal. It runs with <see cref="LoopsJson.Compact"/>'s settings: the relaxed
/// encoder matters, because the journal masker matches secrets in the serialized line and escaping would hide them.
/// </summary>
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
    /// <summary>The context every journal line is written and read with.</summary>
    public static JournalJsonContext Journal { get; } = new(new JsonSerializerOptions(LoopsJson.Compact));
}
