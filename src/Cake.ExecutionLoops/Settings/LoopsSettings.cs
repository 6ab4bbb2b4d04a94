using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Cake.ExecutionLoops;

/// <summary>
/// What every ExecutionLoops alias accepts. The <see cref="ToolSettings"/> it derives from work as for any Cake tool:
/// <see cref="ToolSettings.ToolPath"/> picks another <c>loops</c> program (an executable, or a <c>loops.dll</c> run
/// with <c>dotnet</c>), <see cref="ToolSettings.ToolTimeout"/> bounds the run, <see cref="ToolSettings.EnvironmentVariables"/>
/// and <see cref="ToolSettings.ArgumentCustomization"/> reach the process.
/// </summary>
public class LoopsSettings : ToolSettings
{
    /// <summary>
    /// The repository to work on: a folder inside the git repository that holds <c>.loops/</c>. Default: the
    /// settings' working directory, else the script's.
    /// </summary>
    public DirectoryPath? Repository { get; set; }
}
