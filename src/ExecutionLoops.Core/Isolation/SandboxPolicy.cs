namespace ExecutionLoops.Isolation;

/// <summary>
/// What a sandboxed process may see and touch. Only <see cref="Writable"/> paths can be written; the rest of the
/// file system is read-only, and <see cref="Hidden"/> paths (the user's repository and git directory, HOME, the
/// other missions' clones, the state folder) are replaced by empty folders, with <see cref="ReadOnly"/> paths
/// shown again inside them (the shared git objects, the NuGet package folder, tools installed under HOME).
/// </summary>
/// <param name="Writable">The mission's clone and its scratch folder.</param>
/// <param name="Hidden">Folders the sandbox must not see.</param>
/// <param name="ReadOnly">Folders inside hidden ones that the sandbox may read.</param>
/// <param name="ReadOnlyInsideWritable">Folders inside writable ones that stay read-only (the clone's .git).</param>
/// <param name="Environment">Variables set for every sandboxed process (HOME, TMPDIR, NuGet folders).</param>
internal sealed record SandboxPolicy(
    IReadOnlyList<string> Writable,
    IReadOnlyList<string> Hidden,
    IReadOnlyList<string> ReadOnly,
    IReadOnlyList<string> ReadOnlyInsideWritable,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Folders of the host replaced by a private writable one from the scratch folder (host path → private path):
    /// the sandbox gets a <c>/tmp</c> of its own, where MSBuild's node pipes and .NET's named mutexes live
    /// whatever TMPDIR says, and where nothing of the host's temp files is visible.
    /// </summary>
    public IReadOnlyDictionary<string, string> PrivateFolders { get; init; } = new Dictionary<string, string>();

    /// <summary>The container image of the container backend.</summary>
    public string? Image { get; init; }
}
