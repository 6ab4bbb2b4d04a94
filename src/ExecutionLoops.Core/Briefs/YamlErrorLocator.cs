using YamlDotNet.Core;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Finds where YAML broke. YamlDotNet reports most errors with a position, but some malformed input
/// (an unclosed flow sequence) surfaces as a bare InvalidOperationException; then the parser is replayed
/// event by event and the error is placed just after the last event that parsed.
/// </summary>
internal static class YamlErrorLocator
{
    public static (string Message, int Line, int Column) Locate(string yaml, Exception error)
    {
        if (error is YamlException yamlError)
        {
            return (yamlError.InnerException?.Message ?? yamlError.Message, (int)yamlError.Start.Line, (int)yamlError.Start.Column);
        }

        var parser = new Parser(new StringReader(yaml));
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Expected: this replay exists to find where parsing stops.
        }

        return ("the document is malformed here (an unclosed bracket, brace or quote?)", Math.Max(1, (int)last.Line), Math.Max(1, (int)last.Column));
    }
}
