using Cake.Core;
using Cake.Core.IO;

namespace Cake.ExecutionLoops;

/// <summary>
/// Finds the <c>loops</c> program to run: <see cref="Cake.Core.Tooling.ToolSettings.ToolPath"/> when set; else the one
/// packed inside this addin's package (<c>tools/loops/loops.dll</c>, the same version, so its JSON is the one this
/// addin reads); else a <c>loops</c> that Cake's tool locator knows (a <c>#tool</c>, the tools folder, PATH).
/// A <c>.dll</c> runs through the <c>dotnet</c> host that runs Cake.
/// </summary>
internal sealed record LoopsProgram(FilePath Executable, string? Assembly)
{
    public static LoopsProgram Locate(ICakeContext context, LoopsSettings settings)
    {
        if (settings.ToolPath is { } given)
        {
            var full = given.MakeAbsolute(context.Environment);
            return FromPath(full.FullPath) ?? throw LoopsFailure.Raise(AddinCodes.ToolNotFound, $"The loops program '{full.FullPath}' given as ToolPath does not exist.", "Point ToolPath at loops (the ExecutionLoops.Tool dotnet tool) or its loops.dll.");
        }

        if (Bundled() is { } bundled)
        {
            return bundled;
        }

        var located = context.Tools.Resolve("loops") ?? context.Tools.Resolve("loops.exe");
        if (located is not null)
        {
            return new LoopsProgram(located, null);
        }

        throw LoopsFailure.Raise(AddinCodes.ToolNotFound, "The loops program was not found: not in this addin's package (tools/loops/), not given as ToolPath, not a known tool.", "Load the addin from its package (#addin nuget:?package=Cake.ExecutionLoops), or set ToolPath to loops or loops.dll, or install the ExecutionLoops.Tool dotnet tool.");
    }

    /// <summary>
    /// The program packed with this assembly. A Cake script loads the addin from the extracted package
    /// (lib/net10.0/Cake.ExecutionLoops.dll → tools/loops/loops.dll); Frosting and Cake.Sdk builds reference the package
    /// and run a copy of the assembly from their own output, so the package is then found in NuGet's global packages
    /// folder under this assembly's version.
    /// </summary>
    private static LoopsProgram? Bundled()
    {
        var assembly = typeof(LoopsProgram).Assembly;
        if (!string.IsNullOrEmpty(assembly.Location)
            && FromPath(System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(assembly.Location)!, "..", "..", "tools", "loops", "loops.dll"))) is { } extracted)
        {
            return extracted;
        }

        var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0];
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return version is null ? null : FromPath(System.IO.Path.Combine(packages, "cake.executionloops", version.ToLowerInvariant(), "tools", "loops", "loops.dll"));
    }

    private static LoopsProgram? FromPath(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new LoopsProgram(DotnetHost(), path) : new LoopsProgram(new FilePath(path), null);
    }

    /// <summary>The host that runs Cake when Cake runs on one (dotnet cake), else the SDK's, else dotnet on PATH.</summary>
    private static FilePath DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && System.IO.Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new FilePath(process);
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? new FilePath(host) : new FilePath("dotnet");
    }
}
