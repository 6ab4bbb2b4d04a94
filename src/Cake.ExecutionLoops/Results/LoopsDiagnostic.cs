namespace Cake.ExecutionLoops;

/// <summary>One problem ExecutionLoops found, as its EL code, severity, message and location.</summary>
public sealed record LoopsDiagnostic
{
    /// <summary>The EL code, e.g. <c>EL1004</c>.</summary>
    public string Code { get; init; } = "";

    /// <summary><c>error</c> or <c>warning</c>.</summary>
    public string Severity { get; init; } = "error";

    /// <summary>What is wrong.</summary>
    public string Message { get; init; } = "";

    /// <summary>How to fix it, when known.</summary>
    public string? Hint { get; init; }

    /// <summary>The file it is about, when there is one.</summary>
    public string? Path { get; init; }

    /// <summary>1-based line, 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary>1-based column, 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>True for errors.</summary>
    public bool IsError => string.Equals(Severity, "error", StringComparison.OrdinalIgnoreCase);

    /// <summary>The canonical one-line form <c>path(line,col): error ELxxxx: message hint</c>, which IDEs and CI hosts annotate.</summary>
    public override string ToString()
    {
        var location = Path is null ? "loops" : Line > 0 ? $"{Path}({Line},{Math.Max(Column, 1)})" : Path;
        var text = Hint is null ? Message : $"{Message} {Hint}";
        return $"{location}: {(IsError ? "error" : "warning")} {Code}: {text}";
    }
}
