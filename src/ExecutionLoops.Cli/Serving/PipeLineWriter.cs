using System.Text;
using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Serving;

/// <summary>
/// One of a served command's two outputs (standard output <c>o</c>, standard error <c>e</c>): each complete line goes to
/// the client as one protocol line. Once the client is gone, output is dropped instead of failing the command halfway
/// through (a checkpoint made must still be recorded in the session).
/// </summary>
internal sealed class PipeLineWriter(PipeAnswer answer, string field) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            Send();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <summary>An unfinished last line is sent as a line of its own: the command ended, or it flushed on purpose.</summary>
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            Send();
        }

        answer.Flush();
    }

    private void Send()
    {
        answer.Send(field, _line.ToString());
        _line.Clear();
    }
}

/// <summary>The answer stream of one request: protocol lines, written one at a time by both outputs.</summary>
internal sealed class PipeAnswer(Stream pipe) : IDisposable
{
    // Each line goes out as it is written: the client logs it at once, as it would the program's output.
    private readonly StreamWriter _writer = new(pipe, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n", AutoFlush = true };
    private readonly Lock _gate = new();
    private bool _gone;

    /// <summary>True once the client stopped listening.</summary>
    public bool Gone => _gone;

    public void Send(string field, string value)
    {
        lock (_gate)
        {
            if (_gone)
            {
                return;
            }

            try
            {
                _writer.WriteLine(PairServerProtocol.Line(field, value));
            }
            catch (IOException)
            {
                _gone = true;
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (_gone)
            {
                return;
            }

            try
            {
                _writer.Flush();
            }
            catch (IOException)
            {
                _gone = true;
            }
        }
    }

    /// <summary>Releases the writer; the pipe stays its owner's.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // Its last flush went to a client that left.
            }

            _gone = true;
        }
    }
}
