namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// Folders for test files that sandboxed agents must be able to read (their scripts): not under /tmp, which a
/// sandbox replaces with a private one, nor under HOME, which it hides.
/// </summary>
public static class VisibleFolder
{
    public static string Create(string prefix)
    {
        var root = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/var/tmp";
        return Directory.CreateDirectory(Path.Combine(root, $"{prefix}{Guid.NewGuid():N}")).FullName;
    }
}
