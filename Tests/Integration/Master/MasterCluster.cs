using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Discovery;
using OrleansDcos.Silo.Jobs;
using OrleansDcos.Silo.Marathon;
using OrleansDcos.Silo.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using OrleansDcos.Tests.Support.Silo;

namespace OrleansDcos.Tests.Integration.Master;

/// <summary>Silos (Orleans in the product's ASP.NET host, on PostgreSQL) that run the master (grains, agent link, scheduler API), with simulated agents.</summary>
internal sealed class MasterCluster : IAsyncDisposable
{
    private readonly List<SimulatedAgent> _agents = [];

    private MasterCluster(WebSiloCluster cluster) => Cluster = cluster;

    public WebSiloCluster Cluster { get; }

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public Uri Gateway => Cluster.Gateways[0];

    public IGrainFactory Grains => Cluster.RunningSilos[0].Grains;

    /// <summary>Starts the silos; with <paramref name="dnsPort"/>, each serves Mesos-DNS on that port of its own address.</summary>
    public static async Task<MasterCluster> StartAsync(int silos = 1, Action<MasterOptions>? master = null, bool marathon = false, bool jobs = false, int? dnsPort = null)
    {
        var cluster = await WebSiloCluster.StartAsync(new WebSiloClusterOptions
        {
            PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
            InitialSilos = silos,
            Services = s => s.AddMasterForTests().AddMaster(o =>
            {
                o.AgentHeartbeatInterval = TimeSpan.FromMilliseconds(250);
                o.AgentUnreachableTimeout = TimeSpan.FromSeconds(2);
                o.AllocationInterval = TimeSpan.FromMilliseconds(200);
                master?.Invoke(o);
            }).AddMarathonIf(marathon).AddJobsIf(jobs).AddDiscoveryIf(dnsPort),
            Endpoints = app =>
            {
                app.UseApiErrors();
                app.MapMaster();
                if (marathon)
                {
                    app.MapMarathon();
                    app.MapLoadBalancer();
                }

                if (jobs)
                {
                    app.MapJobs();
                }

                if (dnsPort is not null)
                {
                    app.MapDiscovery();
                }
            },
        });
        return new MasterCluster(cluster);
    }

    /// <summary>Starts <paramref name="count"/> simulated agents spread over the gateways, and waits until the allocator knows them.</summary>
    public async Task<IReadOnlyList<SimulatedAgent>> AddAgentsAsync(int count, string resources = "cpus:4;mem:4096;disk:10000;ports:[31000-31099]", string attributes = "", (string Region, string Zone)? faultDomain = null)
    {
        var added = new List<SimulatedAgent>();
        for (var i = 0; i < count; i++)
        {
            var gateways = Cluster.Gateways.Skip((_agents.Count + i) % Cluster.Gateways.Count).Concat(Cluster.Gateways).ToArray();
            added.Add(new SimulatedAgent(gateways, $"agent-{_agents.Count + i:D4}-{Guid.NewGuid():N}"[..20], resources, attributes) { FaultDomain = faultDomain }.Start());
        }

        _agents.AddRange(added);
        await Poll.UntilAsync(async () =>
        {
            var snapshot = await Grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).GetSnapshot();
            return added.All(a => snapshot.Agents.Any(x => x.AgentId == a.AgentId && x.Active));
        }, TimeSpan.FromSeconds(20), $"{count} agents registered");
        return added;
    }

    /// <summary>The running silo that hosts <paramref name="grain"/>'s activation, if any does.</summary>
    public async Task<WebSilo?> SiloOfAsync(IAddressable grain)
    {
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return Cluster.RunningSilos.FirstOrDefault(s => s.SiloAddress.Equals(address));
    }

    /// <summary>Suppresses the framework and returns what it holds (so that other frameworks get the resources).</summary>
    public Task QuiesceAsync(RawFramework framework) => framework.QuiesceAsync(async () =>
        (await Grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).GetSnapshot()).Offers.Any(o => o.FrameworkId == framework.FrameworkId));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Cluster.DisposeAsync();
    }
}
