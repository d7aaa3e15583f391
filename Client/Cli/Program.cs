using OrleansDcos.Cli;

return await DcosCli.RunAsync(args, Console.Out, Console.Error);
