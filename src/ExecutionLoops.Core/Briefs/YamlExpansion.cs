using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExecutionLoops.Briefs;

/// <summary>
/// Guards against YAML whose aliases expand to far more text than the file holds (a "billion laughs"): a 1 MB
/// anchor referenced 3,000 times is a 3 GB brief to everything that reads it. The parser's events are walked
/// once, anchored values are measured, and every alias adds its anchor's size; past the limit, the alias is named.
/// </summary>
internal static class YamlExpansion
{
    /// <summary>The most text a brief or the config may expand to.</summary>
    public const long Limit = 1024 * 1024;

    /// <summary>The line and column of the alias that takes the expanded size over the limit, or null when it stays under.</summary>
    public static (long Size, int Line, int Column)? FindOverflow(string yaml)
    {
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Size)>();
        long total = 0;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                long added;
                switch (parser.Current)
                {
                    case Scalar scalar:
                        added = scalar.Value.Length;
                        Remember(anchors, scalar.Anchor, added);
                        break;
                    case AnchorAlias alias:
                        added = anchors.GetValueOrDefault(alias.Value.Value);
                        if (total + added > Limit)
                        {
                            return (total + added, (int)alias.Start.Line, (int)alias.Start.Column);
                        }

                        break;
                    case NodeEvent node and (MappingStart or SequenceStart):
                        open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, 0));
                        continue;
                    case MappingEnd or SequenceEnd:
                        var (anchor, size) = open.Pop();
                        if (anchor is not null)
                        {
                            anchors[anchor] = size;
                        }

                        AddToParent(open, size);
                        continue;
                    default:
                        continue;
                }

                total += added;
                AddToParent(open, added);
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Syntax errors are reported by the real parse, with their own message.
        }

        return null;
    }

    private static void Remember(Dictionary<string, long> anchors, AnchorName anchor, long size)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = size;
        }
    }

    private static void AddToParent(Stack<(string? Anchor, long Size)> open, long size)
    {
        if (open.Count > 0)
        {
            var (anchor, current) = open.Pop();
            open.Push((anchor, current + size));
        }
    }
}
