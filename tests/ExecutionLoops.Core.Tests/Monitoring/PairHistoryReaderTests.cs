using System.Text.Json;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Monitoring;
using ExecutionLoops.Pair;
using ExecutionLoops.Processes;
using ExecutionLoops.Security;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Monitoring;

public sealed class PairHistoryReaderTests : IDisposable
{
    private readonly TempGitRepo _repo = new();

    [Theory]
    [InlineData("<PackageReference Include=\"Serilog\" Version=\"4.1.0\" />", "dependencies")]
    [InlineData("  <PackageReference Include=\"Serilog\" Version=\"4.0.0\" />  ", "format")]
    [InlineData("<PackageReference Include=\"Serilog\" Version=\"4.0.0\" /><Compile Remove=\"Old.cs\" />", null)]
    public async Task ReadAsync_JudgesTheSessionsWholeChange(string reference, string? routine)
    {
        _repo.Write("App/App.csproj", Project("<PackageReference Include=\"Serilog\" Version=\"4.0.0\" />"));
        var start = _repo.Commit("start");
        _repo.Write("App/App.csproj", Project(reference));
        var end = _repo.Commit("session");
        var pair = Path.Combine(_repo.Root, ".loops", "pair");
        var session = new PairSession { Id = "bump", Goal = "Bump Serilog", Started = DateTimeOffset.UnixEpoch, Ended = DateTimeOffset.UnixEpoch.AddHours(1), StartSnapshot = start, Checkpoints = [new PairCheckpoint(1, DateTimeOffset.UnixEpoch, end, "end", true)] };
        Directory.CreateDirectory(Path.Combine(pair, "bump"));
        File.WriteAllText(Path.Combine(pair, "bump", "session.json"), JsonSerializer.Serialize(session, LoopsJson.Indented));

        var summaries = await PairHistoryReader.ReadAsync(pair, await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner()), new SecretMasker(), CancellationToken.None);

        summaries.ShouldHaveSingleItem().ShouldBe(new PairSessionSummary("bump", "Bump Serilog", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), 1, 1, routine));
    }

    private static string Project(string items) => $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    {items}\n  </ItemGroup>\n</Project>\n";

    public void Dispose() => _repo.Dispose();
}
