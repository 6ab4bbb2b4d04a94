namespace ExecutionLoops.Briefs;

/// <summary>The JSON Schemas of the brief front matter and the config, for editors (<c>loops schema mission|config</c>).</summary>
public static class BriefSchemas
{
    /// <summary>The schema of a mission brief's front matter.</summary>
    public static string Mission { get; } = Load("mission.schema.json");

    /// <summary>The schema of <c>.loops/config.yml</c>.</summary>
    public static string Config { get; } = Load("config.schema.json");

    private static string Load(string name)
    {
        using var stream = typeof(BriefSchemas).Assembly.GetManifestResourceStream($"ExecutionLoops.Briefs.Schemas.{name}")
            ?? throw new InvalidOperationException($"Embedded schema {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
