using System.Globalization;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Scheduling.Time;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The master's operator JSON in Mesos' shapes (<c>/master/state</c>, <c>/master/slaves</c>, <c>/master/frameworks</c>,
/// <c>/master/tasks</c>), field for field as Mesos 1.x writes them (src/master/readonly_handler.cpp, src/common/http.cpp):
/// agents as registered slaves (unreachable ones counted, not listed), frameworks with their live, unreachable and
/// completed tasks, tasks with their statuses and the container's IP. Additions of ours (an agent's <c>status</c> and
/// <c>connected</c>) are kept beside Mesos' fields, never instead of them.
/// </summary>
internal static class MesosStateJson
{
    /// <summary>What <c>/master/state</c> needs besides the view: who this master and the leader are, and the settings shown as flags.</summary>
    internal sealed record Context(MesosMaster Self, MesosMaster? Leader, DateTimeOffset Started, DateTimeOffset? Elected, MasterOptions Options, string Cluster, string ProductVersion);

    /// <summary><c>/master/state</c>.</summary>
    public static JsonObject State(MasterView view, Context context)
    {
        var (buildTime, sha) = Build(context.ProductVersion);
        var state = new JsonObject
        {
            ["version"] = MesosMaster.MesosVersion,
            ["orleansdcos_version"] = context.ProductVersion,
            ["build_date"] = buildTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["build_time"] = buildTime.ToUnixTimeSeconds(),
            ["build_user"] = "orleansdcos",
            ["start_time"] = UnixTime.Seconds(context.Started),
            ["id"] = context.Self.Id,
            ["pid"] = context.Self.Pid,
            ["hostname"] = context.Self.Hostname,
            ["capabilities"] = MesosMaster.Capabilities(),
            ["activated_slaves"] = view.Agents.Count(a => a.Status == AgentStatus.Active && a.Connected),
            ["deactivated_slaves"] = view.Agents.Count(a => a.Status.IsDeactivated() || (a.Status == AgentStatus.Active && !a.Connected)),
            ["unreachable_slaves"] = view.Agents.Count(a => a.Status == AgentStatus.Unreachable),
            ["cluster"] = context.Cluster,
            ["flags"] = Flags(context),
        };
        if (sha is not null)
        {
            state["git_sha"] = sha;
        }

        if (context.Elected is { } elected)
        {
            state["elected_time"] = UnixTime.Seconds(elected);
        }

        if (context.Leader is { } leader)
        {
            state["leader"] = leader.Pid;
            state["leader_info"] = leader.Info();
        }

        var (frameworks, completed) = FrameworkArrays(view, context.Options);
        state["slaves"] = SlaveArray(view);
        state["recovered_slaves"] = new JsonArray();
        state["frameworks"] = frameworks;
        state["completed_frameworks"] = completed;
        state["orphan_tasks"] = new JsonArray();
        state["unregistered_frameworks"] = new JsonArray();
        return state;
    }

    /// <summary><c>/master/slaves</c>: the registered agents (not unreachable, not gone).</summary>
    public static JsonObject Slaves(MasterView view) => new()
    {
        ["slaves"] = SlaveArray(view),
        ["recovered_slaves"] = new JsonArray(),
    };

    /// <summary><c>/master/frameworks</c>.</summary>
    public static JsonObject Frameworks(MasterView view, MasterOptions options)
    {
        var (frameworks, completed) = FrameworkArrays(view, options);
        return new JsonObject
        {
            ["frameworks"] = frameworks,
            ["completed_frameworks"] = completed,
            ["unregistered_frameworks"] = new JsonArray(),
        };
    }

    /// <summary><c>/master/tasks</c>: every task the master knows, live, unreachable and completed.</summary>
    public static JsonObject Tasks(MasterView view) => new()
    {
        ["tasks"] = new JsonArray([.. view.Agents.SelectMany(a => a.Tasks.Concat(a.CompletedTasks ?? []).Select(t => (JsonNode)Task(a, t)))]),
    };

    /// <summary>One framework's completed tasks as Mesos keeps them: the newest <see cref="MasterOptions.MaxCompletedTasksPerFramework"/>, oldest first.</summary>
    internal static IEnumerable<(AgentSnapshot Agent, AgentTask Task)> NewestCompleted(IEnumerable<(AgentSnapshot Agent, AgentTask Task)> completed, MasterOptions options) =>
        completed.OrderByDescending(t => t.Task.Timestamp).Take(options.MaxCompletedTasksPerFramework).OrderBy(t => t.Task.Timestamp);

    /// <summary>The registered agents (not unreachable, not gone).</summary>
    private static JsonArray SlaveArray(MasterView view) =>
        new([.. view.Agents.Where(a => a.Status.IsRegistered()).Select(a => (JsonNode)Agent(a, view))]);

    /// <summary>The frameworks subscribed and those removed, each with its tasks.</summary>
    private static (JsonArray Frameworks, JsonArray Completed) FrameworkArrays(MasterView view, MasterOptions options)
    {
        // Every task once, grouped by framework (a large cluster has a million).
        var live = view.Agents.SelectMany(a => a.Tasks.Select(t => (Agent: a, Task: t))).ToLookup(t => t.Task.FrameworkId, StringComparer.Ordinal);
        var completed = view.Agents.SelectMany(a => (a.CompletedTasks ?? []).Select(t => (Agent: a, Task: t))).ToLookup(t => t.Task.FrameworkId, StringComparer.Ordinal);
        JsonNode Of(FrameworkSnapshot f) => Framework(f, live[f.Info.Id ?? ""], completed[f.Info.Id ?? ""], options);
        return (new JsonArray([.. view.Frameworks.Where(f => !f.Removed).Select(Of)]), new JsonArray([.. view.Frameworks.Where(f => f.Removed).Select(Of)]));
    }

    private static JsonObject Agent(AgentSnapshot agent, MasterView view)
    {
        var info = agent.Info;
        var allocation = view.Allocation.Agents.FirstOrDefault(a => a.AgentId == info.AgentId);
        var reserved = new JsonObject();
        var reservedFull = new JsonObject();
        foreach (var role in info.Resources.Roles.Where(r => r != Resource.AnyRole).Order(StringComparer.Ordinal))
        {
            var ofRole = Resources.From(info.Resources.Where(r => r.Role == role));
            reserved[role] = MesosResourceJson.Summary(ofRole);
            reservedFull[role] = MesosResourceJson.ToJson(ofRole);
        }

        var json = new JsonObject
        {
            ["id"] = info.AgentId,
            ["hostname"] = info.Hostname,
            ["port"] = info.Port,
            ["attributes"] = MesosResourceJson.AttributeSummary(info.Attributes),
            ["pid"] = $"slave(1)@{info.Ip}:{info.Port}",
            ["registered_time"] = UnixTime.Seconds(agent.RegisteredAt),
            ["resources"] = MesosResourceJson.Summary(info.Resources),
            ["used_resources"] = MesosResourceJson.Summary(allocation?.Used ?? Resources.Empty),
            ["offered_resources"] = MesosResourceJson.Summary(allocation?.Offered ?? Resources.Empty),
            ["reserved_resources"] = reserved,
            ["reserved_resources_full"] = reservedFull,
            ["unreserved_resources"] = MesosResourceJson.Summary(info.Resources.Unreserved),
            ["active"] = agent.Status == AgentStatus.Active && agent.Connected,
            ["deactivated"] = agent.Status.IsDeactivated(),
            ["version"] = info.Version,
            ["capabilities"] = new JsonArray(new JsonObject { ["type"] = "MULTI_ROLE" }),
            ["status"] = agent.Status.ToString().ToUpperInvariant(),
            ["connected"] = agent.Connected,
        };
        if (info.Region is { } region)
        {
            json["domain"] = MesosDomainJson.Of(region, info.Zone);
        }

        return json;
    }

    private static JsonObject Framework(
        FrameworkSnapshot framework, IEnumerable<(AgentSnapshot Agent, AgentTask Task)> tasks, IEnumerable<(AgentSnapshot Agent, AgentTask Task)> ended, MasterOptions options)
    {
        var info = framework.Info;
        var live = tasks.ToList();
        var used = live.Where(t => t.Task.State.IsLive()).Aggregate(Resources.Empty, (sum, t) => sum.Plus(t.Task.Resources));
        var offered = framework.Offers.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o.Resources));
        var completed = NewestCompleted(ended.Concat(live.Where(t => t.Task.State.IsTerminal())), options);
        var json = new JsonObject
        {
            ["id"] = info.Id,
            ["name"] = info.Name,
            ["used_resources"] = MesosResourceJson.Summary(used),
            ["offered_resources"] = MesosResourceJson.Summary(offered),
            ["capabilities"] = new JsonArray([.. (info.Capabilities ?? []).Select(c => (JsonNode)new JsonObject { ["type"] = c })]),
            ["hostname"] = info.Hostname ?? "",
            ["webui_url"] = info.WebuiUrl ?? "",
            ["active"] = framework.Active,
            ["connected"] = framework.Connected,
            ["recovered"] = false,
            ["user"] = info.User,
            ["failover_timeout"] = info.FailoverTimeoutSeconds,
            ["checkpoint"] = true,
            ["registered_time"] = UnixTime.Seconds(framework.RegisteredAt),
            ["unregistered_time"] = framework.DisconnectedAt is { } away ? UnixTime.Seconds(away) : 0,
            ["resources"] = MesosResourceJson.Summary(used.Plus(offered)),
            ["tasks"] = new JsonArray([.. live.Where(t => t.Task.State.IsLive()).Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["unreachable_tasks"] = new JsonArray([.. live.Where(t => t.Task.State == TaskState.TASK_UNREACHABLE).Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["completed_tasks"] = new JsonArray([.. completed.Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["offers"] = new JsonArray([.. framework.Offers.Select(o => (JsonNode)MesosOfferJson.Write(o))]),
            ["executors"] = new JsonArray(),
            ["offer_constraints"] = new JsonObject(),
        };
        if (info.Principal is { } principal)
        {
            json["principal"] = principal;
        }

        if (info.Capabilities?.Contains("MULTI_ROLE") == true)
        {
            json["roles"] = new JsonArray([.. info.EffectiveRoles.Select(r => (JsonNode)JsonValue.Create(r))]);
        }
        else
        {
            json["role"] = info.EffectiveRoles[0];
        }

        return json;
    }

    private static JsonObject Task(AgentSnapshot agent, AgentTask task)
    {
        // The statuses it went through (the agent keeps them), else its current one.
        var statuses = agent.Statuses?.GetValueOrDefault(task.TaskId) is { Count: > 0 } kept
            ? kept
            : [new TaskStatusEntry(task.State, task.Timestamp, task.Healthy)];
        return new JsonObject
        {
            ["id"] = task.TaskId,
            ["name"] = task.Name,
            ["framework_id"] = task.FrameworkId,
            ["executor_id"] = "",
            ["slave_id"] = agent.Info.AgentId,
            ["state"] = task.State.ToString(),
            ["resources"] = MesosResourceJson.Summary(task.Resources),
            ["role"] = task.Role,
            ["statuses"] = new JsonArray([.. statuses.Select(s => (JsonNode)Status(agent, s))]),
        };
    }

    private static JsonObject Status(AgentSnapshot agent, TaskStatusEntry entry)
    {
        var status = new JsonObject
        {
            ["state"] = entry.State.ToString(),
            ["timestamp"] = entry.Timestamp,
        };
        if (MesosTaskStatusJson.NetworkInfos(entry.State, agent.Info.Ip) is { } networks)
        {
            status["container_status"] = new JsonObject { ["network_infos"] = networks };
        }

        if (entry.Healthy is { } healthy)
        {
            status["healthy"] = healthy;
        }

        return status;
    }

    /// <summary>The settings Mesos clients read as flags (Mesos' names, Mesos' stringified values).</summary>
    internal static JsonObject Flags(Context context)
    {
        var o = context.Options;
        return new JsonObject
        {
            ["cluster"] = context.Cluster,
            ["hostname"] = context.Self.Hostname,
            ["port"] = context.Self.Port.ToString(CultureInfo.InvariantCulture),
            ["allocation_interval"] = Duration(o.AllocationInterval),
            ["offer_timeout"] = Duration(o.OfferTimeout),
            ["agent_ping_timeout"] = Duration(o.AgentHeartbeatInterval),
            ["max_agent_ping_timeouts"] = Math.Max(1, (int)Math.Round(o.AgentUnreachableTimeout / o.AgentHeartbeatInterval)).ToString(CultureInfo.InvariantCulture),
            ["max_completed_tasks_per_framework"] = o.MaxCompletedTasksPerFramework.ToString(CultureInfo.InvariantCulture),
            ["authenticate_agents"] = string.IsNullOrEmpty(o.AgentToken) ? "false" : "true",
        };
    }

    /// <summary>A duration as Mesos prints one (<c>10ms</c>, <c>1secs</c>, <c>5mins</c>).</summary>
    internal static string Duration(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerMinute == 0 && span >= TimeSpan.FromMinutes(1) ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMinutes}mins")
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds}secs")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###}ms");

    /// <summary>When this build was made (its assembly's time) and the git sha in the product version (<c>1.0.0+sha</c>), if any.</summary>
    internal static (DateTimeOffset Time, string? Sha) Build(string productVersion)
    {
        var location = typeof(MesosStateJson).Assembly.Location;
        var time = location.Length > 0 && File.Exists(location) ? new DateTimeOffset(File.GetLastWriteTimeUtc(location), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
        var plus = productVersion.IndexOf('+', StringComparison.Ordinal);
        return (time, plus >= 0 && plus < productVersion.Length - 1 ? productVersion[(plus + 1)..] : null);
    }
}
