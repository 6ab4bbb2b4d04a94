return await ExecutionLoops.Cli.LoopsCli.RunAsync(args);
