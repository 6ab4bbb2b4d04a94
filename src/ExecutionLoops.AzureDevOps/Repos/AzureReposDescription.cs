using System.Text;
using System.Text.RegularExpressions;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// The review body (written by Core's review body writer, as on GitHub) made fit for an Azure Repos pull request:
/// Mermaid in Azure's <c>::: mermaid</c> fence, and the 4,000 characters a description may hold, with the hidden
/// markers always kept at the end.
/// </summary>
internal static partial class AzureReposDescription
{
    /// <summary>The longest description Azure Repos accepts.</summary>
    public const int MaxLength = 4000;

    /// <summary>The description: the body with Azure's Mermaid fence, cut to fit before the markers.</summary>
    public static string Write(string body, string markers)
    {
        var text = MermaidFence().Replace(body.Replace("\r\n", "\n", StringComparison.Ordinal), match => $"::: mermaid\n{match.Groups["graph"].Value}:::\n");
        var room = MaxLength - markers.Length - 2;
        if (text.Length > room)
        {
            const string cut = "\n\n… (shortened: Azure Repos descriptions hold 4,000 characters; the run report has everything)";
            text = text[..(room - cut.Length)] + cut;
        }

        return new StringBuilder(text.TrimEnd()).Append("\n\n").Append(markers).ToString();
    }

    [GeneratedRegex(@"^```mermaid[ \t]*\n(?<graph>[\s\S]*?)^```[ \t]*$\n?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MermaidFence();
}
