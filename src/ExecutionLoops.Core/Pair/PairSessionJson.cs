using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Pair;

/// <summary>
/// The session file (<c>session.json</c>) written and read by hand with <see cref="Utf8JsonWriter"/> and
/// <see cref="Utf8JsonReader"/>, in <see cref="LoopsJson.Indented"/>'s shape (camelCase, nulls left out, enums in
/// kebab-case, names read case-insensitively, unknown ones skipped). Every pair process reads and writes it once, and
/// the serializer's metadata for it (source-generated or not) made the runtime JIT-compile some 430 generic methods
/// over the session's value types (DateTimeOffset, TimeSpan?, int?, bool?) that ReadyToRun cannot precompile outside the
/// framework: about 45 ms of a 0.4 s checkpoint. This code is our own and compiled ahead of time.
/// </summary>
internal static class PairSessionJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The session as the file holds it.</summary>
    public static string Serialize(PairSession session) => Write(Indented, writer => WriteSession(writer, session));

    /// <summary>Reads a session file; null for the JSON literal <c>null</c>.</summary>
    /// <exception cref="JsonException">The text is not a session.</exception>
    public static PairSession? Deserialize(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : ReadSession(ref reader);
    }

    /// <summary>One line of JSON made by <paramref name="write"/> (the context pack's digest input).</summary>
    public static string WriteCompact(Action<Utf8JsonWriter> write) => Write(Compact, write);

    private static string Write(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteSession(Utf8JsonWriter writer, PairSession session)
    {
        writer.WriteStartObject();
        writer.WriteString("id", session.Id);
        writer.WriteString("goal", session.Goal);
        WriteStrings(writer, "criteria", session.Criteria);
        if (session.Timebox is { } timebox)
        {
            writer.WriteString("timebox", Duration(timebox));
        }

        if (session.BriefId is { } brief)
        {
            writer.WriteString("briefId", brief);
        }

        writer.WriteString("started", session.Started);
        if (session.Ended is { } ended)
        {
            writer.WriteString("ended", ended);
        }

        writer.WriteString("startSnapshot", session.StartSnapshot);
        writer.WriteStartArray("checkpoints");
        foreach (var checkpoint in session.Checkpoints)
        {
            WriteCheckpoint(writer, checkpoint);
        }

        writer.WriteEndArray();
        WriteNotes(writer, "notes", session.Notes);
        if (session.LastFeedback is { } feedback)
        {
            writer.WritePropertyName("lastFeedback");
            WriteFeedback(writer, feedback);
        }

        if (session.BaselineWarnings is { } baseline)
        {
            writer.WriteNumber("baselineWarnings", baseline);
        }

        writer.WriteEndObject();
    }

    private static void WriteCheckpoint(Utf8JsonWriter writer, PairCheckpoint checkpoint)
    {
        writer.WriteStartObject();
        writer.WriteNumber("number", checkpoint.Number);
        writer.WriteString("at", checkpoint.At);
        writer.WriteString("commit", checkpoint.Commit);
        writer.WriteString("label", checkpoint.Label);
        if (checkpoint.Green is { } green)
        {
            writer.WriteBoolean("green", green);
        }

        if (checkpoint.Tree is { } tree)
        {
            writer.WriteString("tree", tree);
        }

        if (checkpoint.Head is { } head)
        {
            writer.WriteString("head", head);
        }

        writer.WriteEndObject();
    }

    /// <summary>Notes as the session file holds them.</summary>
    public static void WriteNotes(Utf8JsonWriter writer, string name, IReadOnlyList<PairNote> notes)
    {
        writer.WriteStartArray(name);
        foreach (var note in notes)
        {
            writer.WriteStartObject();
            writer.WriteString("at", note.At);
            writer.WriteString("text", note.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Feedback as the session file holds it.</summary>
    public static void WriteFeedback(Utf8JsonWriter writer, PairFeedback feedback)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("buildSucceeded", feedback.BuildSucceeded);
        WriteDiagnostics(writer, "errors", feedback.Errors);
        WriteDiagnostics(writer, "warnings", feedback.Warnings);
        writer.WriteBoolean("testsRun", feedback.TestsRun);
        writer.WriteNumber("testsPassed", feedback.TestsPassed);
        WriteStrings(writer, "failedTests", feedback.FailedTests);
        writer.WriteEndObject();
    }

    /// <summary>A list of strings as an array property.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A time span as System.Text.Json writes one (the constant "c" format).</summary>
    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static void WriteDiagnostics(Utf8JsonWriter writer, string name, IReadOnlyList<Diagnostic> diagnostics)
    {
        writer.WriteStartArray(name);
        foreach (var diagnostic in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("code", diagnostic.Code);
            writer.WriteString("severity", diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning");
            writer.WriteString("message", diagnostic.Message);
            if (diagnostic.Path is { } path)
            {
                writer.WriteString("path", path);
            }

            writer.WriteNumber("line", diagnostic.Line);
            writer.WriteNumber("column", diagnostic.Column);
            if (diagnostic.Hint is { } hint)
            {
                writer.WriteString("hint", hint);
            }

            writer.WriteBoolean("isError", diagnostic.IsError);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static PairSession ReadSession(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, goal = null, briefId = null, startSnapshot = null;
        IReadOnlyList<string> criteria = [];
        TimeSpan? timebox = null;
        DateTimeOffset? started = null, ended = null;
        var checkpoints = new List<PairCheckpoint>();
        IReadOnlyList<PairNote> notes = [];
        PairFeedback? feedback = null;
        int? baseline = null;
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "id": id = reader.GetString(); break;
                case "goal": goal = reader.GetString(); break;
                case "criteria": criteria = ReadStrings(ref reader); break;
                case "timebox": timebox = reader.TokenType == JsonTokenType.Null ? null : TimeSpan.ParseExact(reader.GetString()!, "c", CultureInfo.InvariantCulture); break;
                case "briefid": briefId = reader.GetString(); break;
                case "started": started = reader.GetDateTimeOffset(); break;
                case "ended": ended = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset(); break;
                case "startsnapshot": startSnapshot = reader.GetString(); break;
                case "checkpoints": ReadArray(ref reader, checkpoints, ReadCheckpoint); break;
                case "notes": notes = ReadNotes(ref reader); break;
                case "lastfeedback": feedback = reader.TokenType == JsonTokenType.Null ? null : ReadFeedback(ref reader); break;
                case "baselinewarnings": baseline = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return new PairSession
        {
            Id = id ?? throw Missing("id"),
            Goal = goal ?? throw Missing("goal"),
            Criteria = criteria,
            Timebox = timebox,
            BriefId = briefId,
            Started = started ?? throw Missing("started"),
            Ended = ended,
            StartSnapshot = startSnapshot ?? throw Missing("startSnapshot"),
            Checkpoints = checkpoints,
            Notes = notes,
            LastFeedback = feedback,
            BaselineWarnings = baseline,
        };
    }

    private static PairCheckpoint ReadCheckpoint(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int number = 0;
        DateTimeOffset at = default;
        string? commit = null, label = null, tree = null, head = null;
        bool? green = null;
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "number": number = reader.GetInt32(); break;
                case "at": at = reader.GetDateTimeOffset(); break;
                case "commit": commit = reader.GetString(); break;
                case "label": label = reader.GetString(); break;
                case "green": green = reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean(); break;
                case "tree": tree = reader.GetString(); break;
                case "head": head = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        return new PairCheckpoint(number, at, commit ?? throw Missing("commit"), label ?? "", green) { Tree = tree, Head = head };
    }

    private static IReadOnlyList<PairNote> ReadNotes(ref Utf8JsonReader reader)
    {
        var notes = new List<PairNote>();
        ReadArray(ref reader, notes, static (ref Utf8JsonReader item) =>
        {
            Expect(ref item, JsonTokenType.StartObject);
            DateTimeOffset at = default;
            var text = "";
            while (NextProperty(ref item) is { } name)
            {
                switch (name)
                {
                    case "at": at = item.GetDateTimeOffset(); break;
                    case "text": text = item.GetString() ?? ""; break;
                    default: item.Skip(); break;
                }
            }

            return new PairNote(at, text);
        });
        return notes;
    }

    private static PairFeedback ReadFeedback(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var succeeded = false;
        var testsRun = false;
        var passed = 0;
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        IReadOnlyList<string> failed = [];
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "buildsucceeded": succeeded = reader.GetBoolean(); break;
                case "errors": ReadArray(ref reader, errors, ReadDiagnostic); break;
                case "warnings": ReadArray(ref reader, warnings, ReadDiagnostic); break;
                case "testsrun": testsRun = reader.GetBoolean(); break;
                case "testspassed": passed = reader.GetInt32(); break;
                case "failedtests": failed = ReadStrings(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new PairFeedback(succeeded, errors, warnings, testsRun, passed, failed);
    }

    private static Diagnostic ReadDiagnostic(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string code = "", message = "";
        string? path = null, hint = null;
        var severity = DiagnosticSeverity.Warning;
        int line = 0, column = 0;
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "code": code = reader.GetString() ?? ""; break;
                case "severity": severity = string.Equals(reader.GetString(), "error", StringComparison.OrdinalIgnoreCase) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning; break;
                case "message": message = reader.GetString() ?? ""; break;
                case "path": path = reader.GetString(); break;
                case "line": line = reader.GetInt32(); break;
                case "column": column = reader.GetInt32(); break;
                case "hint": hint = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        return new Diagnostic(code, severity, message, path, line, column, hint);
    }

    private static IReadOnlyList<string> ReadStrings(ref Utf8JsonReader reader)
    {
        var values = new List<string>();
        ReadArray(ref reader, values, static (ref Utf8JsonReader item) => item.GetString() ?? "");
        return values;
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    /// <summary>Reads an array (the reader on its start) into <paramref name="items"/>; null reads as empty.</summary>
    private static void ReadArray<T>(ref Utf8JsonReader reader, List<T> items, ItemReader<T> item)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(item(ref reader));
        }
    }

    /// <summary>Moves to the next property's value and returns its name in lower case; null at the object's end.</summary>
    private static string? NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        var name = reader.GetString()!.ToLowerInvariant();
        reader.Read();
        return name;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} but found {reader.TokenType} at byte {reader.TokenStartIndex} of the session file.");
        }
    }

    private static JsonException Missing(string name) => new($"The session file has no '{name}'.");
}
