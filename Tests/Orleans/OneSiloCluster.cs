using Orleans.TestingHost;

namespace OrleansDcos.Tests.Orleans;

/// <summary>An in-process Orleans test cluster (<see cref="InProcessTestCluster"/>) of one silo, under a service id the test chooses (so a second one finds the first one's data).</summary>
public static class OneSiloCluster
{
    /// <summary>Starts it, its silo configured by <paramref name="configure"/>.</summary>
    public static async Task<InProcessTestCluster> StartAsync(string serviceId, Action<ISiloBuilder> configure)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) => configure(silo));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
