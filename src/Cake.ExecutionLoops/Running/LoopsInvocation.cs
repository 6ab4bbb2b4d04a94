namespace Cake.ExecutionLoops;

/// <summary>One finished run of <c>loops</c>: its exit code, its standard output (the JSON) and its standard error lines.</summary>
internal sealed record LoopsInvocation(int ExitCode, string Output, IReadOnlyList<string> Error);
