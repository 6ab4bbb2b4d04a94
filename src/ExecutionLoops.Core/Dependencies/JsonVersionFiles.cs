using System.Text;
using System.Text.Json;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Dependencies;

/// <summary>
/// Versions in the JSON files the SDK reads: global.json (<c>sdk.version</c>, <c>msbuild-sdks</c>) and
/// .config/dotnet-tools.json (<c>tools.&lt;id&gt;.version</c>). The reader keeps the position of each
/// version string so an edit replaces exactly its characters.
/// </summary>
internal static class JsonVersionFiles
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads global.json: the SDK pin and the MSBuild project SDKs.</summary>
    public static (List<(string Id, DependencyKind Kind, VersionSite Site)> Versions, Diagnostic? Problem) ReadGlobalJson(string path, string relativePath) =>
        Read(path, relativePath, (parents, property) => parents switch
        {
            ["sdk"] when property == "version" => ("Microsoft.NET.Sdk", DependencyKind.DotnetSdk),
            ["msbuild-sdks"] => (property, DependencyKind.MSBuildSdk),
            _ => null,
        });

    /// <summary>Reads a dotnet tool manifest.</summary>
    public static (List<(string Id, DependencyKind Kind, VersionSite Site)> Versions, Diagnostic? Problem) ReadToolManifest(string path, string relativePath) =>
        Read(path, relativePath, (parents, property) => parents is ["tools", var tool] && property == "version" ? (tool, DependencyKind.DotnetTool) : null);

    private static (List<(string, DependencyKind, VersionSite)>, Diagnostic?) Read(string path, string relativePath, Func<string[], string, (string, DependencyKind)?> select)
    {
        var source = SourceText.Read(path);
        var bytes = Encoding.UTF8.GetBytes(source.Text);
        var reader = new Utf8JsonReader(bytes, Options);
        var found = new List<(string, DependencyKind, VersionSite)>();
        var parents = new List<string>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString()!;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        parents.Add(property ?? "");
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        parents.RemoveAt(parents.Count - 1);
                        break;
                    case JsonTokenType.String when property is not null:
                        // parents[0] is the root object's empty name.
                        if (select(parents.Skip(1).ToArray(), property) is var (id, kind))
                        {
                            var offset = Encoding.UTF8.GetCharCount(bytes, 0, (int)reader.TokenStartIndex + 1);
                            var (line, column) = source.Position(offset);
                            found.Add((id, kind, new VersionSite(relativePath, line, column, offset, reader.GetString()!)));
                        }

                        property = null;
                        break;
                    default:
                        property = null;
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            return ([], Diagnostic.Error(DiagnosticCodes.MalformedProjectFile, $"'{relativePath}' is not valid JSON: {ex.Message}", relativePath, line, column, "Fix the JSON; the other files were still scanned."));
        }

        return (found, null);
    }
}
