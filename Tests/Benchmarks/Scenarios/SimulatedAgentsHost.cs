using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// Simulated agents in a process of their own (<c>OrleansDcos.Benchmarks sim-agents &lt;gateway&gt; &lt;count&gt; &lt;resources&gt;</c>):
/// both ends of 10,000 agent links would not fit one process's file descriptors, and the silo's memory is then
/// measured alone. Prints <c>connected N violations V</c> every second until killed.
/// </summary>
internal static class SimulatedAgentsHost
{
    public const string Command = "sim-agents";

    public static async Task<int> RunAsync(string[] args)
    {
        var gateway = new Uri(args[1]);
        var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        var agents = Enumerable.Range(0, count).Select(i => new SimulatedAgent([gateway], $"a{i}", args[3]).Start()).ToArray();
        while (true)
        {
            await Task.Delay(1000);
            Console.WriteLine($"connected {agents.Count(a => a.Connected)} violations {agents.Sum(a => a.Violations.Count)}");
        }
    }

    /// <summary>Starts the agents in a child process.</summary>
    public static ChildProcess Start(Uri gateway, int count, string resources) =>
        ChildProcess.Start(Environment.ProcessPath!, [Command, gateway.ToString(), count.ToString(System.Globalization.CultureInfo.InvariantCulture), resources]);
}
