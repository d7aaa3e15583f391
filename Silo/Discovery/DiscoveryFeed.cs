using OrleansDcos.AgentLink;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Scheduling.Discovery;
using OrleansDcos.Silo.Hosting;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// Keeps this silo's directory true to the cluster, so DNS answers from every silo and keeps answering when any
/// other dies. It notes the task-status stream's head, reads the master once (every agent's running tasks, the
/// frameworks' names), then follows the stream from that head: a RUNNING task is published as soon as its status is
/// — a health-checked one once a status says it is healthy — and leaves at its next status that is not RUNNING or
/// says unhealthy. Should it fall
/// behind the stream's retention, or fail, it reads the master again. The cluster's own names (masters from the
/// membership, the leader, agents) are read again every few seconds.
/// </summary>
internal sealed partial class DiscoveryFeed(
    IGrainFactory grains,
    EventLogReader events,
    DiscoveryDirectory directory,
    ClusterLeader leader,
    IClusterMembershipService membership,
    MesosDnsServer server,
    Microsoft.Extensions.Options.IOptions<DiscoveryOptions> options,
    TimeProvider time,
    ILogger<DiscoveryFeed> logger) : BackgroundService
{
    private static readonly TimeSpan ClusterRefresh = TimeSpan.FromSeconds(3);
    private readonly Dictionary<string, string> _frameworkNames = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var clusterRefresh = new PeriodicTimer(ClusterRefresh, time);
        var refreshing = RefreshClusterLoopAsync(clusterRefresh, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var head = await events.HeadAsync(MasterStreamProvider.Name, DcosStreams.TaskStatuses, stoppingToken);
                await LoadAsync();
                await foreach (var batch in events.FollowBatchesAsync<TaskStatusEvent>(MasterStreamProvider.Name, DcosStreams.TaskStatuses, head, stoppingToken))
                {
                    foreach (var (update, _) in batch)
                    {
                        await ApplyAsync(update);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Behind the retention, the database or a grain unreachable for now: the master is read again.
                Resyncing(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await refreshing;
    }

    /// <summary>Every running task the master knows, published; what was published and is no longer, removed.</summary>
    private async Task LoadAsync()
    {
        var view = await MasterView.ReadAsync(grains);
        foreach (var framework in view.Frameworks)
        {
            if (framework.Info.Id is { } id)
            {
                _frameworkNames[id] = framework.Info.Name;
            }
        }

        foreach (var agent in view.Agents)
        {
            _agents[agent.Info.AgentId] = agent.Info;
        }

        var running = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in view.Agents)
        {
            foreach (var task in agent.Tasks.Where(t => Listed(t.State, t.Healthy, t.Discovery)))
            {
                if (Publish(task.TaskId, task.Name, task.FrameworkId, agent.Info.AgentId, agent.Info.Ip, task.Discovery ?? DiscoverySpec.Of(task.Resources)))
                {
                    running.Add(task.TaskId);
                }
            }
        }

        foreach (var gone in _published.Where(id => !running.Contains(id)).ToList())
        {
            Unpublish(gone);
        }

        RefreshCluster();
    }

    private async Task ApplyAsync(TaskStatusEvent update)
    {
        var status = update.Status;
        if (update.TaskName is not { } name)
        {
            if (status.State != TaskState.TASK_RUNNING)
            {
                Unpublish(status.TaskId);
            }

            return; // a RUNNING told again by the master (reconciliation) changes nothing: the agent's own update named it
        }

        if (!Listed(status.State, status.Healthy, update.Discovery))
        {
            Unpublish(status.TaskId);
            return;
        }

        if (!_frameworkNames.ContainsKey(status.FrameworkId))
        {
            _frameworkNames[status.FrameworkId] = (await grains.GetGrain<IFrameworkGrain>(status.FrameworkId).GetSnapshot()).Info.Name;
        }

        var ip = update.AgentIp ?? (_agents.TryGetValue(update.AgentId, out var agent) ? agent.Ip : null);
        if (ip is not null)
        {
            Publish(status.TaskId, name, status.FrameworkId, update.AgentId, ip, update.Discovery ?? new DiscoverySpec([]));
        }
    }

    private static bool Listed(TaskState state, bool? healthy, DiscoverySpec? discovery) => DiscoveryRules.Listed(state, healthy, discovery?.HealthChecked == true);

    private bool Publish(string taskId, string name, string frameworkId, string agentId, string agentIp, DiscoverySpec discovery)
    {
        var framework = _frameworkNames.GetValueOrDefault(frameworkId) ?? frameworkId;
        var ports = discovery.Ports.Select(p => new DiscoveryPort(p.Number, p.Name, p.Protocol)).ToList();
        var records = DiscoveryRecords.ForTask(new DiscoveryTask(taskId, name, framework, agentId, agentIp, ports), directory.Zone);
        directory.SetTask(taskId, framework, name, records);
        if (records.Count > 0)
        {
            _published.Add(taskId);
        }

        return records.Count > 0;
    }

    private void Unpublish(string taskId)
    {
        if (_published.Remove(taskId))
        {
            directory.Set(taskId, []);
        }
    }

    private async Task RefreshClusterLoopAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var shard in MasterKeys.AllAgentRegistries)
                    {
                        foreach (var (agentId, removed) in await grains.GetGrain<IRegistryGrain>(shard).List())
                        {
                            if (removed)
                            {
                                _agents.TryRemove(agentId, out _);
                            }
                            else if (!_agents.ContainsKey(agentId))
                            {
                                _agents[agentId] = (await grains.GetGrain<IAgentGrain>(agentId).GetSnapshot()).Info;
                            }
                        }
                    }

                    RefreshCluster();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Resyncing(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The masters (active silos, by API address, oldest first), the leader, the agents and the name server.</summary>
    private void RefreshCluster()
    {
        var masters = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .OrderBy(m => m.SiloAddress.Generation).ThenBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(m => ClusterLeader.HostAndPort(m.Name)).ToList();
        var current = leader.Current is { } lead ? ClusterLeader.HostAndPort(lead.Name) : default;
        var index = masters.FindIndex(m => m == current);
        var agents = _agents.Values.ToList().Select(a => (a.Ip, a.Port));
        directory.Set(DiscoveryDirectory.ClusterOwner, DiscoveryRecords.ForCluster(directory.Zone, masters, index < 0 ? null : index, agents, server.Endpoint?.Address.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "discovery: reading the master again ({Message})")]
    private static partial void Resyncing(ILogger logger, string message);
}
