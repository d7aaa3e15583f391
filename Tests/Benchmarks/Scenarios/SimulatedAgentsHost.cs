using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// Simulated agents in a process of their own (<c>OrleansDcos.Benchmarks sim-agents &lt;gateway&gt; &lt;count&gt; &lt;resources&gt; [run-for-ms]</c>;
/// tasks run until killed, or finish after run-for-ms):
/// both ends of 10,000 agent links would not fit one process's file descriptors, and the silo's memory is then
/// measured alone. Prints <c>connected N violations V</c> every second until killed, and why links ended when that changes.
/// </summary>
internal static class SimulatedAgentsHost
{
    public const string Command = "sim-agents";

    /// <summary>Unacknowledged updates are resent after 10 s (doubling), as Mesos' agents do.</summary>
    private static readonly TimeSpan MesosResend = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var gateway = new Uri(args[1]);
        var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        var runFor = args.Length > 4 ? TimeSpan.FromMilliseconds(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)) : (TimeSpan?)null;
        var agents = Enumerable.Range(0, count).Select(i =>
        {
            var agent = new SimulatedAgent([gateway], $"a{i}", args[3]) { ResendAfter = MesosResend };
            if (runFor is { } run)
            {
                agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.Zero, RunFor: run);
            }

            return agent.Start();
        }).ToArray();
        var reasons = "";
        while (true)
        {
            await Task.Delay(1000);
            Console.WriteLine($"connected {agents.Count(a => a.Connected)} violations {agents.Sum(a => a.Violations.Count)}");
            var now = string.Join("; ", agents.Where(a => a.LastDisconnect is not null).GroupBy(a => a.LastDisconnect).Select(g => $"{g.Count()} × {g.Key}"));
            if (now != reasons)
            {
                reasons = now;
                Console.WriteLine($"disconnects (last reason per agent): {now}");
            }
        }
    }

    /// <summary>Starts the agents in a child process: this program again (its apphost, or <c>dotnet</c> with this assembly when run that way).</summary>
    public static ChildProcess Start(Uri gateway, int count, string resources, TimeSpan? runFor = null)
    {
        var host = Environment.ProcessPath!;
        string[] program = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(SimulatedAgentsHost).Assembly.Location] : [];
        string[] run = runFor is { } r ? [((int)r.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        return ChildProcess.Start(host, [.. program, Command, gateway.ToString(), count.ToString(System.Globalization.CultureInfo.InvariantCulture), resources, .. run]);
    }
}
