using System.Xml;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Dependencies;

/// <summary>A value in an MSBuild file with the exact place it is written.</summary>
/// <param name="Value">The text.</param>
/// <param name="Line">1-based line of the text.</param>
/// <param name="Column">1-based column of the text.</param>
/// <param name="Offset">Character offset of the text.</param>
internal sealed record XmlValue(string Value, int Line, int Column, int Offset);

/// <summary>A package item: PackageReference, PackageVersion or GlobalPackageReference.</summary>
/// <param name="ItemType">The element name.</param>
/// <param name="Include">The Include (or Update) value.</param>
/// <param name="IsUpdate">True for <c>Update=</c> items.</param>
/// <param name="Version">The Version attribute or child element, if any.</param>
/// <param name="VersionOverride">The VersionOverride attribute or child element, if any.</param>
/// <param name="Line">Line of the element.</param>
/// <param name="Condition">The item's condition joined with its ItemGroup's (<c>a and b</c>), as written; null when unconditioned.</param>
internal sealed record PackageItem(string ItemType, string Include, bool IsUpdate, XmlValue? Version, XmlValue? VersionOverride, int Line, string? Condition = null);

/// <summary>A property definition or an import, in document order: what MSBuild's evaluation walks through.</summary>
/// <param name="PropertyName">The property defined, or null for an &lt;Import&gt;.</param>
/// <param name="Value">The property's text, or the import's Project attribute with its position.</param>
/// <param name="Condition">The element's condition joined with its group's; null when unconditioned.</param>
internal sealed record EvaluationStep(string? PropertyName, XmlValue Value, string? Condition);

/// <summary>
/// What the dependency scanner needs from one MSBuild XML file (project, props or targets), read without
/// evaluating it: property definitions, package items, imports and the project SDK, each with the position of
/// its text so an edit can replace exactly those characters.
/// </summary>
internal sealed class MSBuildXmlFile
{
    private static readonly HashSet<string> PackageItemTypes = new(StringComparer.Ordinal) { "PackageReference", "PackageVersion", "GlobalPackageReference", "PackageDownload" };

    private MSBuildXmlFile(string path, string relativePath)
    {
        Path = path;
        RelativePath = relativePath;
    }

    /// <summary>Absolute path.</summary>
    public string Path { get; }

    /// <summary>Repo-relative path.</summary>
    public string RelativePath { get; }

    /// <summary>Property definitions in document order (a name may appear more than once).</summary>
    public List<(string Name, XmlValue Value)> Properties { get; } = [];

    /// <summary>Package items in document order.</summary>
    public List<PackageItem> Items { get; } = [];

    /// <summary>The &lt;Import&gt; elements (the Project attribute with its position) and property definitions, in document order.</summary>
    public List<EvaluationStep> Steps { get; } = [];

    /// <summary>The <c>Sdk</c> attribute of &lt;Project&gt; or &lt;Sdk&gt; elements that carry a version (<c>Name/Version</c>).</summary>
    public List<XmlValue> Sdks { get; } = [];

    /// <summary>Reads a file; malformed XML is an EL7001 diagnostic with the line and column.</summary>
    public static (MSBuildXmlFile? File, Diagnostic? Problem) Read(string path, string relativePath)
    {
        SourceText source;
        try
        {
            source = SourceText.Read(path);
        }
        catch (IOException ex)
        {
            return (null, Diagnostic.Error(DiagnosticCodes.MalformedProjectFile, $"'{relativePath}' cannot be read: {ex.Message}", relativePath));
        }

        var file = new MSBuildXmlFile(path, relativePath);
        try
        {
            file.Parse(source);
            return (file, null);
        }
        catch (XmlException ex)
        {
            return (null, Diagnostic.Error(DiagnosticCodes.MalformedProjectFile, $"'{relativePath}' is not well-formed XML: {ex.Message}", relativePath, ex.LineNumber, ex.LinePosition, "Fix the XML (an unclosed tag or a stray '&' is common); the other files were still scanned."));
        }
    }

    private void Parse(SourceText source)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true };
        using var reader = XmlReader.Create(new StringReader(source.Text), settings);
        var info = (IXmlLineInfo)reader;
        var names = new List<string>();
        string? groupCondition = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var name = reader.LocalName;
            names.RemoveRange(reader.Depth, names.Count - reader.Depth);
            var parent = names.Count > 0 ? names[^1] : "";
            names.Add(name);
            if (name is "Project" or "Sdk" && Attribute(reader, info, source, name == "Project" ? "Sdk" : "Version") is { } sdk)
            {
                Sdks.Add(name == "Sdk" && reader.GetAttribute("Name") is { } sdkName ? sdk with { Value = $"{sdkName}/{sdk.Value}" } : sdk);
            }

            if (name is "ItemGroup" or "PropertyGroup")
            {
                groupCondition = reader.GetAttribute("Condition");
            }

            if (name == "Import" && reader.GetAttribute("Sdk") is null && Attribute(reader, info, source, "Project") is { } import)
            {
                Steps.Add(new EvaluationStep(null, import, Join(parent == "ImportGroup" ? groupCondition : null, reader.GetAttribute("Condition"))));
            }
            else if (name == "Import")
            {
                // <Import Sdk="..."/>: the SDK's own files, outside the repository.
            }
            else if (name == "ImportGroup")
            {
                groupCondition = reader.GetAttribute("Condition");
            }
            else if (parent == "PropertyGroup")
            {
                var condition = Join(groupCondition, reader.GetAttribute("Condition"));
                if (!reader.IsEmptyElement && ReadText(reader, info, source) is { } text)
                {
                    Properties.Add((name, text));
                    Steps.Add(new EvaluationStep(name, text, condition));
                }
            }
            else if (parent == "ItemGroup" && PackageItemTypes.Contains(name))
            {
                ReadItem(reader, info, source, name, reader.IsEmptyElement, Join(groupCondition, reader.GetAttribute("Condition")));
            }
        }
    }

    private static string? Join(string? group, string? own) =>
        string.IsNullOrWhiteSpace(group) ? (string.IsNullOrWhiteSpace(own) ? null : own.Trim())
        : string.IsNullOrWhiteSpace(own) ? group.Trim() : $"({group.Trim()}) and ({own.Trim()})";

    private void ReadItem(XmlReader reader, IXmlLineInfo info, SourceText source, string itemType, bool isEmpty, string? condition)
    {
        var line = info.LineNumber;
        var include = reader.GetAttribute("Include");
        var update = reader.GetAttribute("Update");
        var version = Attribute(reader, info, source, "Version");
        var versionOverride = Attribute(reader, info, source, "VersionOverride");
        if (!isEmpty)
        {
            // Metadata as child elements: <PackageReference Include="X"><Version>1.0</Version></PackageReference>.
            while (reader.Read() && reader.NodeType != XmlNodeType.EndElement)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                var child = reader.LocalName;
                var childEmpty = reader.IsEmptyElement;
                var text = childEmpty ? null : ReadText(reader, info, source);
                if (child == "Version")
                {
                    version ??= text;
                }
                else if (child == "VersionOverride")
                {
                    versionOverride ??= text;
                }

            }
        }

        if ((include ?? update) is { Length: > 0 } id)
        {
            Items.Add(new PackageItem(itemType, id.Trim(), include is null, version, versionOverride, line, condition));
        }
    }

    /// <summary>Reads an element's text content, leaving the reader on its end element; null when it has child elements.</summary>
    private static XmlValue? ReadText(XmlReader reader, IXmlLineInfo info, SourceText source)
    {
        XmlValue? value = null;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                    var offset = source.Offset(info.LineNumber, info.LinePosition);
                    value = new XmlValue(reader.Value, info.LineNumber, info.LinePosition, offset);
                    break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    break;
                case XmlNodeType.EndElement:
                    return value;
                default:
                    return null;
            }
        }

        return value;
    }

    /// <summary>An attribute's value with the position of its first character (after the opening quote).</summary>
    private static XmlValue? Attribute(XmlReader reader, IXmlLineInfo info, SourceText source, string name)
    {
        if (!reader.MoveToAttribute(name))
        {
            return null;
        }

        var offset = source.Offset(info.LineNumber, info.LinePosition);
        var value = reader.Value;
        reader.MoveToElement();
        var text = source.Text;
        var quote = text.IndexOfAny(['"', '\''], offset + name.Length);
        if (quote < 0)
        {
            return null;
        }

        var (line, column) = source.Position(quote + 1);
        return new XmlValue(value, line, column, quote + 1);
    }
}
