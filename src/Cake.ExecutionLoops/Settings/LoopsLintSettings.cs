namespace Cake.ExecutionLoops;

/// <summary>Settings of <see cref="LoopsAliases.LoopsLint(Cake.Core.ICakeContext, LoopsLintSettings)"/>.</summary>
public sealed class LoopsLintSettings : LoopsSettings
{
    /// <summary>Brief files or folders to lint, relative to the script's working directory. Empty: every brief the config names.</summary>
    public ICollection<string> Paths { get; } = new List<string>();

    /// <summary>Raise a <see cref="Cake.Core.CakeException"/> carrying the first error's EL code when lint finds an error. Default true.</summary>
    public bool FailOnError { get; set; } = true;
}
