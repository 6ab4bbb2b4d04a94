using System.Text;

namespace ExecutionLoops.Dependencies;

/// <summary>
/// A text file as it is on disk: its encoding, whether it starts with a byte-order mark, and its exact
/// characters (line endings included). Edits are made on <see cref="Text"/> and written back with the same
/// preamble and encoding, so nothing but the edited characters changes.
/// </summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    private SourceText(string path, string text, Encoding encoding, bool hasPreamble)
    {
        Path = path;
        Text = text;
        Encoding = encoding;
        HasPreamble = hasPreamble;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <summary>Absolute path.</summary>
    public string Path { get; }

    /// <summary>The characters after the byte-order mark.</summary>
    public string Text { get; }

    /// <summary>The file's encoding (UTF-8 unless a UTF-16/32 mark says otherwise).</summary>
    public Encoding Encoding { get; }

    /// <summary>True when the file starts with a byte-order mark.</summary>
    public bool HasPreamble { get; }

    /// <summary>Reads a file, keeping its encoding and byte-order mark.</summary>
    public static SourceText Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        foreach (var encoding in (Encoding[])[new UTF8Encoding(true), new UnicodeEncoding(false, true), new UnicodeEncoding(true, true), new UTF32Encoding(false, true)])
        {
            var preamble = encoding.GetPreamble();
            if (preamble.Length > 0 && bytes.AsSpan().StartsWith(preamble))
            {
                return new SourceText(path, encoding.GetString(bytes, preamble.Length, bytes.Length - preamble.Length), encoding, true);
            }
        }

        return new SourceText(path, new UTF8Encoding(false).GetString(bytes), new UTF8Encoding(false), false);
    }

    /// <summary>The character offset of a 1-based line and column (as XML and JSON readers report them).</summary>
    public int Offset(int line, int column) => _lineStarts[Math.Clamp(line - 1, 0, _lineStarts.Length - 1)] + column - 1;

    /// <summary>The 1-based line and column of a character offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>The bytes of new text in this file's encoding and preamble.</summary>
    public byte[] Encode(string text) =>
        [.. HasPreamble ? Encoding.GetPreamble() : [], .. Encoding.GetBytes(text)];
}
