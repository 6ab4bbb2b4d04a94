using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Execution;
using ExecutionLoops.Processes;
using ExecutionLoops.Toil;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionLoops.Core.Tests.Toil;

public sealed class CommandToilTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("loops-command-toil-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Deadline_FollowsTheContextsClock_EachCommandGetsWhatIsLeftOfTheTimeout()
    {
        // The brief is read the way every host reads it, so the test does not depend on how a brief stores its commands.
        Directory.CreateDirectory(Path.Combine(_root, ".loops", "missions"));
        File.WriteAllText(Path.Combine(_root, ".loops", "missions", "three.md"), "---\nkind: command\non: {manual: true}\ncommands: [first, second, third]\ngates: [diff]\nsuccess: [three commands ran]\n---\n# Three commands\n");
        var catalog = LoopsEngine.Lint(_root);
        catalog.HasErrors.ShouldBeFalse(string.Join('\n', catalog.Diagnostics));
        var brief = catalog.Briefs.Single();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var processes = new SlowCommands(clock, TimeSpan.FromMinutes(4));
        var context = new ToilContext(brief, LoopsConfig.Default, _root, [], new NoLog(), processes, TimeSpan.FromMinutes(10)) { Clock = clock };

        var result = await new CommandToil().ExecuteAsync(context, CancellationToken.None);

        result.Succeeded.ShouldBeTrue();
        processes.Timeouts.ShouldBe([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(2)]);
    }

    /// <summary>Each command "takes" <paramref name="duration"/> on the fake clock.</summary>
    private sealed class SlowCommands(FakeTimeProvider clock, TimeSpan duration) : ProcessRunner
    {
        public List<TimeSpan?> Timeouts { get; } = [];

        public override Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            Timeouts.Add(spec.Timeout);
            clock.Advance(duration);
            return Task.FromResult(new ProcessResult(0, "ok\n", "", duration, false));
        }
    }

    private sealed class NoLog : IMissionLog
    {
        public void Write(string line)
        {
        }
    }
}
