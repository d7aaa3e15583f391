using OrleansDcos.Grains.Master;
using OrleansDcos.Silo.Discovery;
using OrleansDcos.Silo.Jobs;
using OrleansDcos.Silo.Marathon;
using OrleansDcos.Silo.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Silo;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>The one-silo master on PostgreSQL the master and Marathon benchmarks run against (the product's host, in-process).</summary>
internal static class MasterBenchCluster
{
    /// <summary>
    /// Starts it: agents heartbeating every 5 s and unreachable after 60 s (thousands of agents heartbeating every
    /// second would be that many calls a second for nothing here), then <paramref name="tune"/>; with
    /// <paramref name="marathon"/> Marathon and its /v2 API too, with <paramref name="jobs"/> Chronos and /v1/scheduler, with <paramref name="dnsPort"/> Mesos-DNS on that port.
    /// </summary>
    public static Task<WebSiloCluster> StartAsync(Action<MasterOptions> tune, bool marathon = false, bool jobs = false, int? dnsPort = null)
    {
        TestEnvironment.Require(Component.Postgres);
        return WebSiloCluster.StartAsync(new WebSiloClusterOptions
        {
            PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
            InitialSilos = 1,
            Services = s =>
            {
                s.AddMaster(o =>
                {
                    o.AgentHeartbeatInterval = TimeSpan.FromSeconds(5);
                    o.AgentUnreachableTimeout = TimeSpan.FromSeconds(60);
                    tune(o);
                });
                if (marathon)
                {
                    s.AddMarathon();
                }

                if (jobs)
                {
                    s.AddJobs();
                }

                if (dnsPort is { } port)
                {
                    s.AddDiscovery(o => o.Port = port);
                }
            },
            Endpoints = app =>
            {
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
    }
}
