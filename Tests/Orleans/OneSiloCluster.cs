using Orleans.TestingHost;

namespace OrleansDcos.Tests.Orleans;

/// <summary>An in-process Orleans test cluster of one silo configured by <typeparamref name="TSilo"/>, under a service id the test chooses (so a second one finds the first one's data).</summary>
public static class OneSiloCluster
{
    /// <summary>Starts it; <paramref name="properties"/> reach the configurator as <c>siloBuilder.Configuration[key]</c>.</summary>
    public static async Task<TestCluster> StartAsync<TSilo>(string serviceId, params (string Key, string Value)[] properties)
        where TSilo : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        foreach (var (key, value) in properties)
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<TSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
