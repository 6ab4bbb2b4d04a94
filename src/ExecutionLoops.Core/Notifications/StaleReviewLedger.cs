using System.Text.Json;

namespace ExecutionLoops.Notifications;

/// <summary>
/// Which stale review items were already reported (<c>notify/stale.json</c> under the state folder), by item and
/// revision, so a waiting item is reported once per revision rather than on every run.
/// </summary>
internal sealed class StaleReviewLedger(string stateRoot)
{
    private string FilePath => Path.Combine(stateRoot, "notify", "stale.json");

    public Dictionary<string, int> Read()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(FilePath)) ?? [] : [];
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            // A broken ledger costs at most one repeated reminder.
            return [];
        }
    }

    public bool AlreadyReported(OpenReviewItem item) => Read().TryGetValue(item.Id, out var revision) && revision >= item.Revision;

    public void Record(IEnumerable<(string Id, int Revision)> items)
    {
        var ledger = Read();
        foreach (var (id, revision) in items)
        {
            ledger[id] = revision;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(ledger));
        File.Move(temporary, FilePath, overwrite: true);
    }
}
