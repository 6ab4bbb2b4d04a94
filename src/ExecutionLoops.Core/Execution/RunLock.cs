using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Execution;

/// <summary>
/// Stops two delegation runs on one repository from interleaving. The lock is an exclusive OS file
/// lock, so the kernel releases it when its holder dies (even by <c>kill -9</c>); a sidecar file names
/// the holder for the message the second run prints.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _ownerFile;

    private RunLock(FileStream stream, string ownerFile)
    {
        _stream = stream;
        _ownerFile = ownerFile;
    }

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for a running holder to finish.</summary>
    /// <exception cref="LoopsException">EL2010 when another run holds it; EL2011 when the state directory cannot be written.</exception>
    public static async Task<RunLock> AcquireAsync(StatePaths state, string purpose, TimeSpan wait, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ownerFile = state.LockFile + ".owner";
        var deadline = clock.GetUtcNow() + wait;
        try
        {
            Workspace.IgnoredFolder.Ensure(state.Root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RunJournal.StateUnwritable(state.Root, ex);
        }

        while (true)
        {
            try
            {
                var stream = new FileStream(state.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                await File.WriteAllTextAsync(ownerFile, $"pid {Environment.ProcessId}, {purpose}, since {clock.GetUtcNow():u}", cancellationToken);
                return new RunLock(stream, ownerFile);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw RunJournal.StateUnwritable(state.Root, ex);
            }
            catch (IOException ex) when (IsSharingViolation(ex))
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    var owner = File.Exists(ownerFile) ? File.ReadAllText(ownerFile) : "another process";
                    throw LoopsException.Infrastructure(
                        DiagnosticCodes.RunLocked,
                        $"Another ExecutionLoops run holds the lock on this repository ({owner}).",
                        "Wait for it to finish, or pass --wait 10m to queue behind it.",
                        ex,
                        state.LockFile);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken);
            }
            catch (IOException ex)
            {
                throw RunJournal.StateUnwritable(state.Root, ex);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        TryDelete(_ownerFile);
        _stream.Dispose();
    }

    // .NET reports a held lock as an IOException whose HResult is EWOULDBLOCK/sharing violation; other I/O errors are real failures.
    private static bool IsSharingViolation(IOException ex) =>
        ex.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021) || ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale owner note only makes a later message less precise.
        }
    }
}
