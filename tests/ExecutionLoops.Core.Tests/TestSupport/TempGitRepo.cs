using System.Diagnostics;

namespace ExecutionLoops.Core.Tests.TestSupport;

/// <summary>A real git repository in a temp folder (branch main, local identity), deleted on dispose.</summary>
public sealed class TempGitRepo : IDisposable
{
    public TempGitRepo(bool initialCommit = true)
    {
        Root = Directory.CreateTempSubdirectory("loops-repo-").FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "dev@example.com");
        Git("config", "user.name", "Dev");
        Git("config", "commit.gpgsign", "false");
        if (initialCommit)
        {
            Write("README.md", "# sample\n");
            Commit("initial");
        }
    }

    public string Root { get; }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public TempGitRepo Write(string relative, string content)
    {
        var full = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public string Read(string relative) => File.ReadAllText(Path(relative));

    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments) => RunGit(Root, arguments);

    public static string RunGit(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    /// <summary>The folder holding ExecutionLoops.sln, found above the test output.</summary>
    public static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ExecutionLoops.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ExecutionLoops.sln not found above the test output.");
    }

    public void Dispose()
    {
        try
        {
            // Failed missions keep their worktree (outside the repository) for inspection; tests leave none behind.
            var worktrees = ExecutionLoops.Execution.StatePaths.For(Root, ".loops/state").WorktreeRoot;
            if (Directory.Exists(worktrees))
            {
                Directory.Delete(worktrees, recursive: true);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}
