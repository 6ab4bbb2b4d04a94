using ExecutionLoops.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Processes;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Duration_IsMeasuredOnTheInjectedClock()
    {
        // Every read of the fake clock moves it 7 seconds on: the start and the end are one read apart.
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(7) };

        var result = await new ProcessRunner(clock).RunAsync(new ProcessSpec("git", ["--version"], Path.GetTempPath()));

        result.Succeeded.ShouldBeTrue(result.CombinedOutput);
        result.Duration.ShouldBe(TimeSpan.FromSeconds(7));
    }
}
