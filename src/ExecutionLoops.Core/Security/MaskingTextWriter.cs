using System.Text;

namespace ExecutionLoops.Security;

/// <summary>
/// A writer that passes text on line by line through the <see cref="SecretMasker"/>: a secret split across two
/// writes is still masked, because nothing reaches the inner writer before its line is complete (or flushed).
/// </summary>
public sealed class MaskingTextWriter(TextWriter inner, SecretMasker masker) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n')
            {
                FlushCompleteLines();
            }
        }
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            _line.Append(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                FlushCompleteLines();
            }
        }
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc />
    public override void Flush()
    {
        lock (_gate)
        {
            FlushLine();
            inner.Flush();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    /// <summary>Passes on every complete line; the unfinished rest waits for its end.</summary>
    private void FlushCompleteLines()
    {
        var text = _line.ToString();
        var end = text.LastIndexOf('\n') + 1;
        inner.Write(masker.Mask(text[..end]));
        _line.Clear().Append(text, end, text.Length - end);
    }

    private void FlushLine()
    {
        if (_line.Length > 0)
        {
            inner.Write(masker.Mask(_line.ToString()));
            _line.Clear();
        }
    }
}
