using System.Net;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Client;

/// <summary>The README's Orleans client sample, run against an embedded silo process over its Orleans gateway.</summary>
[Trait("Area", "Client")]
public sealed class OrleansClientTests
{
    [Fact]
    public async Task The_readme_sample_lists_agents_deploys_an_app_and_follows_its_task_on_the_status_stream()
    {
        await using var silo = await SiloProcess.StartAsync();
        using (var api = new Support.Marathon.MarathonApi(silo.BaseAddress, () => silo.OutputTail(60)))
        {
            // The embedded agent registers just after the silo listens: the sample lists agents, so it starts once there is one.
            await api.WaitForAgentsAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var printed = await ReadmeSample.RunAsync(new IPEndPoint(IPAddress.Loopback, silo.GatewayPort), silo.BaseAddress, deadline.Token);

        Assert.Contains(printed, line => line.StartsWith("agent ", StringComparison.Ordinal));
        var running = Assert.Single(printed, line => line.Contains("hello.", StringComparison.Ordinal) && line.EndsWith("TASK_RUNNING", StringComparison.Ordinal));
        Assert.True(long.Parse(running[..running.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
