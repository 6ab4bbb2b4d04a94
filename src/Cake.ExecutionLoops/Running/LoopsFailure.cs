using System.Text.RegularExpressions;
using Cake.Core;

namespace Cake.ExecutionLoops;

/// <summary>Turns what <c>loops</c> reported into a <see cref="CakeException"/> that names the EL code.</summary>
internal static partial class LoopsFailure
{
    /// <summary>An error the addin found itself (exit code 2: bad input or set-up).</summary>
    public static CakeException Raise(string code, string message, string? hint = null) =>
        LoopsCakeException.Create(2, code, [new LoopsDiagnostic { Code = code, Message = message, Hint = hint }]);

    /// <summary>The failure of a <c>loops</c> run: its errors (from its JSON, else the canonical lines on stderr).</summary>
    public static CakeException From(LoopsInvocation invocation, IReadOnlyList<LoopsDiagnostic>? reported = null, LoopsRunResult? run = null)
    {
        var errors = (reported ?? []).Where(d => d.IsError).ToList();
        if (errors.Count == 0)
        {
            errors = Parse(invocation.Error).Where(d => d.IsError).ToList();
        }

        if (errors.Count == 0)
        {
            var tail = string.Join(Environment.NewLine, invocation.Error.TakeLast(10));
            var unknown = new LoopsDiagnostic { Code = AddinCodes.UnreadableAnswer, Message = $"loops exited with code {invocation.ExitCode} without naming an error.{(tail.Length > 0 ? $" Its last output:{Environment.NewLine}{tail}" : "")}" };
            return LoopsCakeException.Create(invocation.ExitCode, unknown.Code, [unknown], run);
        }

        return LoopsCakeException.Create(invocation.ExitCode, errors[0].Code, errors, run);
    }

    /// <summary>Reads canonical lines, <c>path(line,col): error EL1004: message</c>, as loops prints them.</summary>
    public static IEnumerable<LoopsDiagnostic> Parse(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var match = Canonical().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var location = match.Groups["location"].Value;
            var position = Position().Match(location);
            yield return new LoopsDiagnostic
            {
                Code = match.Groups["code"].Value,
                Severity = match.Groups["severity"].Value,
                Message = match.Groups["message"].Value,
                Path = location == "loops" ? null : position.Success ? position.Groups["path"].Value : location,
                Line = position.Success ? int.Parse(position.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                Column = position.Success ? int.Parse(position.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
            };
        }
    }

    [GeneratedRegex(@"^(?:::\S+[^:]*::)?(?<location>.*?): (?<severity>error|warning) (?<code>EL\d{4}): (?<message>.*)$")]
    private static partial Regex Canonical();

    [GeneratedRegex(@"^(?<path>.*)\((?<line>\d+),(?<column>\d+)\)$")]
    private static partial Regex Position();
}
