// Lints this repository's own mission briefs through the Cake addin (the Lint target of build.cake runs it, after
// building the addin and the loops program in Release). An error fails the run with its EL code.
#r "../src/Cake.ExecutionLoops/bin/Release/net10.0/Cake.ExecutionLoops.dll"

var lint = LoopsLint(new LoopsLintSettings
{
    Repository = "..",
    ToolPath = Argument<string>("loops"),
    Paths = { "../.loops/missions" },
});

foreach (var diagnostic in lint.Diagnostics)
{
    Warning(diagnostic.ToString());
}

Information($"lint: {lint.Briefs.Count} brief(s) in .loops/missions/ ({string.Join(", ", lint.Briefs)}), {lint.Warnings} warning(s).");
