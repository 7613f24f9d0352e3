using BenchmarkDotNet.Running;

// `dotnet run -c Release` runs every benchmark; `-- --filter '*Replay*'` picks some.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
