using ExecutionLoops.Diagnostics;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Pair;

/// <summary>
/// Pair session state under <c>.loops/pair/</c>: one folder per session and an <c>active</c> file naming
/// the current one. Written through temp files and renames, so a crash never leaves half a session.
/// </summary>
public sealed class PairStore(string directory)
{
    private string ActiveFile => Path.Combine(directory, "active");

    /// <summary>The pair directory.</summary>
    public string Directory => directory;

    /// <summary>The id of the active session, or null.</summary>
    public string? ActiveId => File.Exists(ActiveFile) ? File.ReadAllText(ActiveFile).Trim() is { Length: > 0 } id ? id : null : null;

    /// <summary>Loads a session, or null when it does not exist.</summary>
    public PairSession? Load(string id)
    {
        var path = SessionFile(id);
        return File.Exists(path) ? PairSessionJson.Deserialize(File.ReadAllText(path)) : null;
    }

    /// <summary>Saves a session (and marks it active unless it ended).</summary>
    public void Save(PairSession session)
    {
        WriteAtomically(SessionFile(session.Id), PairSessionJson.Serialize(session));
        if (session.Ended is null)
        {
            if (ActiveId != session.Id)
            {
                WriteAtomically(ActiveFile, session.Id);
            }
        }
        else if (ActiveId == session.Id)
        {
            File.Delete(ActiveFile);
        }
    }

    /// <summary>The session named, or the active one.</summary>
    /// <exception cref="LoopsException">EL6001 when there is none.</exception>
    public PairSession Require(string? id)
    {
        var name = id ?? ActiveId;
        return (name is null ? null : Load(name)) is { Ended: null } session
            ? session
            : throw LoopsException.InvalidInput(
                DiagnosticCodes.NoPairSession,
                name is null ? "No pair session is active." : $"No active pair session named '{name}'.",
                "Start one with a goal: loops pair start --goal \"…\" (or dotnet build -t:Pair -p:Goal=\"…\").");
    }

    /// <summary>The context pack path.</summary>
    public string ContextFile => Path.Combine(directory, "context.md");

    /// <summary>The digest of the inputs the context pack was last written from (see <see cref="ContextPackInputs"/>), or null.</summary>
    internal string? ContextDigest
    {
        get => File.Exists(ContextDigestFile) ? File.ReadAllText(ContextDigestFile).Trim() : null;
        set => WriteAtomically(ContextDigestFile, value ?? "");
    }

    /// <summary>
    /// The session's private git index, kept between checkpoints so git's stat cache makes each one cost what changed.
    /// It lives in the session's folder, which the folder's own <c>.gitignore</c> keeps out of every snapshot.
    /// </summary>
    internal string IndexFile(string id)
    {
        IgnoredFolder.Ensure(directory);
        return Path.Combine(directory, id, "index");
    }

    private string ContextDigestFile => Path.Combine(directory, "context.digest");

    private string SessionFile(string id) => Path.Combine(directory, id, "session.json");

    private void WriteAtomically(string path, string content)
    {
        IgnoredFolder.Ensure(directory);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
