using System.Text.Json;
using System.Text.Json.Serialization;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;

namespace Cake.ExecutionLoops;

/// <summary>
/// Runs one <c>loops</c> command for an alias: the JSON it writes to standard output becomes the alias's result;
/// its progress and diagnostics on standard error go to Cake's log as they come (CI annotations included).
/// </summary>
internal sealed class LoopsRunner(ICakeContext context)
{
    /// <summary>The JSON shape loops writes: camelCase, enums as kebab-case strings.</summary>
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>Runs <c>loops &lt;command…&gt; --repo &lt;repository&gt; --no-color</c> plus the command's own arguments.</summary>
    public LoopsInvocation Run(LoopsSettings settings, Action<ProcessArgumentBuilder> command)
    {
        var program = LoopsProgram.Locate(context, settings);
        var working = settings.WorkingDirectory?.MakeAbsolute(context.Environment) ?? context.Environment.WorkingDirectory;
        var repository = settings.Repository?.MakeAbsolute(working) ?? working;
        var arguments = new ProcessArgumentBuilder();
        if (program.Assembly is not null)
        {
            arguments.AppendQuoted(program.Assembly);
        }

        command(arguments);
        arguments.Append("--repo").AppendQuoted(repository.FullPath).Append("--no-color");
        if (settings.ArgumentCustomization is { } customize)
        {
            arguments = customize(arguments);
        }

        var errors = new List<string>();
        var process = new ProcessSettings
        {
            Arguments = arguments,
            WorkingDirectory = working,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectedStandardErrorHandler = line =>
            {
                if (line is not null)
                {
                    lock (errors)
                    {
                        errors.Add(line);
                    }

                    Log(line);
                }

                return line;
            },
            EnvironmentVariables = settings.EnvironmentVariables,
        };

        using var started = context.ProcessRunner.Start(program.Executable, process)
            ?? throw LoopsFailure.Raise(AddinCodes.ToolNotFound, $"Cake could not start '{program.Executable.FullPath}'.", "Check that the .NET runtime (10.0) is installed and the path is right.");
        if (settings.ToolTimeout is { } timeout)
        {
            if (!started.WaitForExit((int)timeout.TotalMilliseconds))
            {
                started.Kill();
                throw LoopsFailure.Raise(AddinCodes.TimedOut, $"loops did not finish within {timeout} and was stopped.", "Raise ToolTimeout in the settings, or give the missions shorter time-outs.");
            }
        }
        else
        {
            started.WaitForExit();
        }

        var output = string.Join('\n', started.GetStandardOutput() ?? []);
        lock (errors)
        {
            return new LoopsInvocation(started.GetExitCode(), output, [.. errors]);
        }
    }

    /// <summary>Reads loops' JSON answer; EL1051 when it is not the expected shape.</summary>
    public static T Read<T>(LoopsInvocation invocation)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(invocation.Output, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            var diagnostic = new LoopsDiagnostic { Code = AddinCodes.UnreadableAnswer, Message = $"loops answered with something other than the JSON this addin reads ({ex.Message}).", Hint = "Use the loops program packed with this addin (leave ToolPath unset) or one of the same version." };
            throw LoopsCakeException.Create(invocation.ExitCode == 0 ? 3 : invocation.ExitCode, AddinCodes.UnreadableAnswer, [diagnostic, .. LoopsFailure.Parse(invocation.Error).Where(d => d.IsError)]);
        }
    }

    private void Log(string line)
    {
        if (line.Contains(": error EL", StringComparison.Ordinal))
        {
            context.Log.Error(Verbosity.Quiet, "{0}", line);
        }
        else if (line.Contains(": warning EL", StringComparison.Ordinal))
        {
            context.Log.Warning(Verbosity.Minimal, "{0}", line);
        }
        else
        {
            context.Log.Information(Verbosity.Normal, "{0}", line);
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
