using OrleansDcos.Benchmarks.Harness;

// Usage: dotnet run -c Release --project Tests/Benchmarks -- <scenario|all> [--small]
if (args.FirstOrDefault() == OrleansDcos.Benchmarks.Scenarios.SimulatedAgentsHost.Command)
{
    return await OrleansDcos.Benchmarks.Scenarios.SimulatedAgentsHost.RunAsync(args);
}

var small = args.Contains("--small");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (names.Length == 0 || args.Contains("--help"))
{
    Console.WriteLine("usage: OrleansDcos.Benchmarks <scenario|all> [--small]");
    foreach (var scenario in Scenarios.All)
    {
        Console.WriteLine($"  {scenario.Name,-20} {scenario.Description}");
    }

    return names.Length == 0 && !args.Contains("--help") ? 2 : 0;
}

var unknown = names.Where(n => n != "all" && Scenarios.All.All(s => s.Name != n)).ToArray();
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"benchmarks: unknown scenario '{string.Join(' ', unknown)}'; run with --help for the list");
    return 2;
}

var selected = names.Contains("all") ? Scenarios.All : Scenarios.All.Where(s => names.Contains(s.Name)).ToArray();

var results = new List<string>();
foreach (var scenario in selected)
{
    Console.WriteLine($"running {scenario.Name}{(small ? " (small)" : string.Empty)} ...");
    var result = await scenario.RunAsync(small, CancellationToken.None);
    results.Add(result.Format(scenario.Name));
}

// The machine-readable lines come last, one per scenario.
foreach (var line in results)
{
    Console.WriteLine(line);
}

return 0;
