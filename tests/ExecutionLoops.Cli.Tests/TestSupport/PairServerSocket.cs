using ExecutionLoops.Serving;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>The socket file a pair server listens on (Unix): named after the repository and the tool it serves.</summary>
public static class PairServerSocket
{
    public static string Of(string repositoryRoot, string loopsDll) =>
        Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + PairServerProtocol.PipeName(repositoryRoot, loopsDll));

    /// <summary>Waits for the server, started after a call, to listen (its socket appears); <paramref name="output"/> explains a failure.</summary>
    public static void WaitFor(string socket, string output)
    {
        var limit = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(socket) && DateTime.UtcNow < limit)
        {
            Thread.Sleep(50);
        }

        File.Exists(socket).ShouldBeTrue($"no pair server listens at {socket}; servers: {string.Join(", ", Directory.GetFiles(Path.GetTempPath(), "CoreFxPipe_loops-pair-*"))}\n{output}");
    }
}
