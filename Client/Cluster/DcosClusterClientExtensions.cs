using System.Runtime.CompilerServices;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Client.Cluster;

/// <summary>The Orleans client side of OrleansDcos: connecting to a cluster, and following the task-status stream.</summary>
public static class DcosClusterClientExtensions
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Connects through PostgreSQL membership (<see cref="DcosClusterOptions.PostgresConnectionString"/> set: the
    /// cluster's ids from the options) or to fixed gateways (the embedded silo: Orleans' default cluster id).
    /// </summary>
    public static IClientBuilder UseDcosCluster(this IClientBuilder client, DcosClusterOptions options)
    {
        if (options.Certificate is { } certificate)
        {
            var ca = options.TrustedCa ?? throw new ArgumentException("a client certificate needs the cluster CA (TrustedCa) to check the silos'", nameof(options));
            client.UseTls(certificate, o =>
            {
                o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = (remote, _, _) => Scheduling.Security.CertificateAuthority.IsSignedBy(remote, ca);
            });
        }

        if (options.PostgresConnectionString is { } connectionString)
        {
            return client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
        }

        return client
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterOptions.DefaultClusterId;
                o.ServiceId = ClusterOptions.DefaultServiceId;
            })
            .UseStaticClustering([.. options.Gateways]);
    }

    /// <summary>
    /// The task status events after <paramref name="after"/> (0: from the oldest kept), then each new one as it is
    /// published, until cancelled — each with its position, to resume from after a restart.
    /// </summary>
    public static async IAsyncEnumerable<PositionedTaskStatus> FollowTaskStatusesAsync(
        this IGrainFactory grains, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var feed = grains.GetGrain<IEventFeedGrain>("task-status");
        var position = after;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await feed.TaskStatuses(position, 500).WaitAsync(cancellationToken);
            foreach (var item in page)
            {
                position = item.Position;
                yield return item;
            }

            if (page.Count == 0)
            {
                await Task.Delay(IdlePoll, cancellationToken);
            }
        }
    }

    /// <summary>The position of the newest task status event, to follow only what comes next.</summary>
    public static Task<long> TaskStatusHeadAsync(this IGrainFactory grains) => grains.GetGrain<IEventFeedGrain>("task-status").TaskStatusHead();
}
