using System.Xml.Linq;

namespace ExecutionLoops.Gates;

/// <summary>Test outcomes read from the TRX files <c>dotnet test --logger trx</c> writes.</summary>
/// <param name="Total">Tests run.</param>
/// <param name="Passed">Tests passed.</param>
/// <param name="Failed">Failed tests: full name and first message line.</param>
public sealed record TrxResults(int Total, int Passed, IReadOnlyList<(string Name, string Message)> Failed)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Reads every .trx file under <paramref name="directory"/>.</summary>
    public static TrxResults Read(string directory)
    {
        int total = 0, passed = 0;
        var failed = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var result in XDocument.Load(file).Descendants(Trx + "UnitTestResult"))
            {
                total++;
                var outcome = (string?)result.Attribute("outcome");
                if (outcome == "Passed")
                {
                    passed++;
                }
                else if (outcome == "Failed")
                {
                    var message = result.Descendants(Trx + "Message").FirstOrDefault()?.Value ?? "";
                    failed.Add(((string?)result.Attribute("testName") ?? "?", message.Split('\n')[0].Trim()));
                }
            }
        }

        return new TrxResults(total, passed, failed);
    }
}
