using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecutionLoops.Pair;

/// <summary>
/// Source-generated JSON metadata of the session file, with <see cref="LoopsJson.Indented"/>'s settings (the file's shape
/// is unchanged). Every pair call reads and writes it: reflection-based metadata cost more start-up time than the rest of
/// a checkpoint.
/// </summary>
[JsonSerializable(typeof(PairSession))]
[JsonSerializable(typeof(ContextPackInputs.Inputs))]
internal sealed partial class PairJsonContext : JsonSerializerContext
{
    /// <summary>The context the session file is written and read with.</summary>
    public static PairJsonContext Session { get; } = new(new JsonSerializerOptions(LoopsJson.Indented));

    /// <summary>The context of the context pack's input digest (one line).</summary>
    public static PairJsonContext Digest { get; } = new(new JsonSerializerOptions(LoopsJson.Compact));
}
