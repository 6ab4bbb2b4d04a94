using ExecutionLoops.Cli;
using ExecutionLoops.Cli.Serving;

// A pair call goes to the warm pair server first, before anything else of the program is loaded.
var server = PairServerForwarding.For(args);
if (server?.TryServe(args) is { } served)
{
    return served;
}

var exitCode = await LoopsCli.RunAsync(args);
server?.AfterLocalRun(args, exitCode);
return exitCode;
