using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using OrleansDcos.Client.Cluster;
using OrleansDcos.Client.Marathon;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Tests.EndToEnd.Client;

/// <summary>
/// The README's "Typed .NET client" sample — the same calls, with the addresses given (the README uses the embedded
/// silo's defaults, 127.0.0.1:30000 and :8080), a deadline, lines collected rather than printed, and the app removed at the end: an Orleans client lists the agents, the Marathon client deploys an
/// app, and the task-status stream is followed as an IAsyncEnumerable until the app's task runs.
/// </summary>
public static class ReadmeSample
{
    /// <summary>Runs the sample against a silo whose gateway is <paramref name="gateway"/> and API is <paramref name="api"/>; returns what it printed.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IPEndPoint gateway, Uri api, CancellationToken cancellationToken)
    {
        var printed = new List<string>();
        void Print(string line) => printed.Add(line);

        // --- README sample ---
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseDcosCluster(new DcosClusterOptions { Gateways = [gateway] }));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var grains = host.Services.GetRequiredService<IClusterClient>();

        // The agents, as the allocator sees them.
        var allocation = await grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).GetSnapshot();
        foreach (var agent in allocation.Agents)
        {
            Print($"agent {agent.AgentId}: {agent.Total} (free {agent.Free})");
        }

        // Deploy an app through Marathon's API.
        using var http = new HttpClient { BaseAddress = api };
        var marathon = new MarathonClient(http);
        var from = await grains.TaskStatusHeadAsync();
        await marathon.CreateAppAsync(new AppDefinition { Id = "/hello", Cmd = "sleep 600", Cpus = 0.1, Mem = 32, Instances = 1 }, cancellationToken);

        // Follow the task-status stream until the app's task runs.
        await foreach (var update in grains.FollowTaskStatusesAsync(from, cancellationToken))
        {
            var status = update.Event.Status;
            Print($"{update.Position}: {status.TaskId} {status.State}");
            if (status.TaskId.StartsWith("hello.", StringComparison.Ordinal) && status.State == TaskState.TASK_RUNNING)
            {
                break;
            }
        }

        await marathon.DeleteAppAsync("/hello", cancellationToken: cancellationToken);
        await host.StopAsync(cancellationToken);
        // --- end of README sample ---
        return printed;
    }
}
