namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// The records Mesos-DNS publishes, from what it knows of tasks, agents and masters. For a task <c>web</c> of
/// framework <c>marathon</c> (agent id tail <c>s3</c>, task id hash <c>h</c>), in domain <c>mesos</c>:
/// <list type="bullet">
/// <item>A <c>web.marathon.mesos</c> and the canonical <c>web-h-s3.marathon.mesos</c> → the task's address (its own, else the agent's);</item>
/// <item>A <c>web.marathon.slave.mesos</c> and <c>web-h-s3.marathon.slave.mesos</c> → the agent's address;</item>
/// <item>SRV <c>_web._tcp.marathon.mesos</c>, <c>_web._udp.marathon.mesos</c> and the same under <c>.slave</c>, one per host
/// port → <c>web-h-s3.marathon.slave.mesos:port</c>;</item>
/// <item>a named port (a port definition's name) also as SRV <c>_name._web._tcp.marathon.mesos</c> (its protocols) →
/// <c>web-h-s3.marathon.mesos:port</c>.</item>
/// </list>
/// The cluster's own names: A <c>leader.mesos</c>, <c>master.mesos</c> (every master), <c>masterN.mesos</c>,
/// <c>slave.mesos</c> (every agent), SRV <c>_leader._tcp|_udp.mesos</c> → <c>leader.mesos:port</c>,
/// <c>_slave._tcp.mesos</c> → <c>slave.mesos:port</c>, and the name server's A record.
/// </summary>
public static class DiscoveryRecords
{
    /// <summary>A task's records (none when its name or framework leaves no label).</summary>
    public static IReadOnlyList<DnsRecord> ForTask(DiscoveryTask task, DnsZone zone)
    {
        var name = DnsLabel.Of(task.Name);
        var framework = DnsLabel.Fragment(task.Framework);
        if (name.Length == 0 || framework.Length == 0)
        {
            return [];
        }

        var canonical = $"{name}-{TaskHash.Of(task.TaskId)}-{AgentTail(task.AgentId)}";
        var address = task.TaskIp ?? task.AgentIp;
        var slave = zone.Name($"{canonical}.{framework}.slave");
        var records = new List<DnsRecord>
        {
            DnsRecord.A(zone.Name($"{name}.{framework}"), address),
            DnsRecord.A(zone.Name($"{canonical}.{framework}"), address),
            DnsRecord.A(zone.Name($"{name}.{framework}.slave"), task.AgentIp),
            DnsRecord.A(slave, task.AgentIp),
        };
        foreach (var port in task.Ports)
        {
            foreach (var protocol in new[] { "tcp", "udp" })
            {
                records.Add(DnsRecord.Srv(zone.Name($"_{name}._{protocol}.{framework}"), slave, port.Number));
                records.Add(DnsRecord.Srv(zone.Name($"_{name}._{protocol}.{framework}.slave"), slave, port.Number));
            }

            if (port.Name is { } portName && DnsLabel.Of(portName) is { Length: > 0 } portLabel)
            {
                foreach (var protocol in Protocols(port.Protocol))
                {
                    records.Add(DnsRecord.Srv(zone.Name($"_{portLabel}._{name}._{protocol}.{framework}"), zone.Name($"{canonical}.{framework}"), port.Number));
                }
            }
        }

        return records;
    }

    /// <summary>The cluster's records: the masters (the first <paramref name="leader"/>), the agents, the name server.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="masters">Each master's address and HTTP port, in a stable order (<c>masterN</c> follows it).</param>
    /// <param name="leader">The leading master's index in <paramref name="masters"/>; null when none leads.</param>
    /// <param name="agents">Each agent's address and port.</param>
    /// <param name="nameServerAddress">The address the DNS server answers on (the name server's A record).</param>
    public static IReadOnlyList<DnsRecord> ForCluster(
        DnsZone zone,
        IReadOnlyList<(string Ip, int Port)> masters,
        int? leader,
        IEnumerable<(string Ip, int Port)> agents,
        string? nameServerAddress)
    {
        var records = new List<DnsRecord>();
        if (leader is { } index && index >= 0 && index < masters.Count)
        {
            records.Add(DnsRecord.A(zone.Name("leader"), masters[index].Ip));
            records.Add(DnsRecord.Srv(zone.Name("_leader._tcp"), zone.Name("leader"), masters[index].Port));
            records.Add(DnsRecord.Srv(zone.Name("_leader._udp"), zone.Name("leader"), masters[index].Port));
        }

        for (var i = 0; i < masters.Count; i++)
        {
            records.Add(DnsRecord.A(zone.Name("master"), masters[i].Ip));
            records.Add(DnsRecord.A(zone.Name($"master{i}"), masters[i].Ip));
        }

        foreach (var (ip, port) in agents)
        {
            records.Add(DnsRecord.A(zone.Name("slave"), ip));
            records.Add(DnsRecord.Srv(zone.Name("_slave._tcp"), zone.Name("slave"), port));
        }

        if (nameServerAddress is { Length: > 0 })
        {
            records.Add(DnsRecord.A(zone.NameServerName, nameServerAddress));
        }

        return records;
    }

    /// <summary>The last part of an agent id, lower case (Mesos-DNS' <c>S3</c> of <c>…-S3</c>), as a label.</summary>
    public static string AgentTail(string agentId) => DnsLabel.Of(agentId[(agentId.LastIndexOf('-') + 1)..]) is { Length: > 0 } tail ? tail : "agent";

    private static IEnumerable<string> Protocols(string? protocol)
    {
        var named = (protocol ?? "tcp").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.ToLowerInvariant()).Where(p => p is "tcp" or "udp").Distinct().ToList();
        return named.Count == 0 ? ["tcp"] : named;
    }
}
