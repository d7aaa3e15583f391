using System.Text.Json.Nodes;
using System.Threading.Channels;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The operator API's SUBSCRIBE: a RecordIO stream of Mesos' master events — SUBSCRIBED with the whole state, then
/// TASK_ADDED (a task first seen) and TASK_UPDATED (each status) from the durable task-status stream, followed from the
/// position noted before the state was read (nothing between the two is missed); AGENT_ADDED/AGENT_REMOVED and
/// FRAMEWORK_ADDED/UPDATED/REMOVED from the registries, compared every second; HEARTBEAT every 15 s. It ends when the
/// client goes or the silo stops.
/// </summary>
internal static class OperatorSubscription
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MembersEvery = TimeSpan.FromSeconds(1);

    private static int _open;

    /// <summary>The streams this silo serves now.</summary>
    public static int Open => Volatile.Read(ref _open);

    public static async Task RunAsync(HttpContext context, IGrainFactory grains, MasterOptions options)
    {
        if (Interlocked.Increment(ref _open) > options.MaxOperatorSubscribers)
        {
            Interlocked.Decrement(ref _open);
            context.Response.Headers.RetryAfter = "5";
            await ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable,
                $"this silo already serves {options.MaxOperatorSubscribers} SUBSCRIBE streams (Master:MaxOperatorSubscribers): close one, or subscribe at another silo");
            return;
        }

        try
        {
            await StreamAsync(context, grains, options);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static async Task StreamAsync(HttpContext context, IGrainFactory grains, MasterOptions options)
    {
        var services = context.RequestServices;
        var events = services.GetRequiredService<EventLogReader>();
        var time = services.GetRequiredService<TimeProvider>();
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var token = lifetime.Token;

        var head = await events.HeadAsync(MasterStreamProvider.Name, DcosStreams.TaskStatuses, token);
        var view = await MasterView.ReadAsync(grains);
        var tasks = view.Tasks.Select(t => t.Task.TaskId).ToHashSet(StringComparer.Ordinal);
        var agents = view.Agents.Where(a => a.Status is not (AgentStatus.Gone or AgentStatus.Unknown)).Select(a => a.Info.AgentId).ToHashSet(StringComparer.Ordinal);
        var frameworks = view.Frameworks.Where(f => f.Info.Id is not null).ToDictionary(f => f.Info.Id!, Standing, StringComparer.Ordinal);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache";
        var records = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        await records.Writer.WriteAsync(MesosOperatorJson.Response("SUBSCRIBED", new JsonObject
        {
            ["get_state"] = MesosOperatorJson.State(view, options)["get_state"]!.DeepClone(),
            ["heartbeat_interval_seconds"] = Heartbeat.TotalSeconds,
        }), token);

        Task[] producing =
        [
            FollowTasksAsync(grains, events, head, tasks, records.Writer, token),
            FollowMembersAsync(grains, agents, frameworks, records.Writer, time, token),
            HeartbeatsAsync(records.Writer, time, token),
        ];

        // One of them ending (behind the stream's retention, a grain unreachable): the stream ends, the client subscribes again.
        _ = Task.WhenAny(producing).ContinueWith(_ => records.Writer.TryComplete(), TaskScheduler.Default);
        var producers = Task.WhenAll(producing);
        try
        {
            while (await records.Reader.WaitToReadAsync(token))
            {
                while (records.Reader.TryRead(out var record))
                {
                    await context.Response.Body.WriteAsync(RecordIo.Frame(record), token);
                }

                await context.Response.Body.FlushAsync(token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // the client went
        }
        finally
        {
            await lifetime.CancelAsync();
            await producers.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task FollowTasksAsync(IGrainFactory grains, EventLogReader events, long head, HashSet<string> known, ChannelWriter<JsonObject> records, CancellationToken token)
    {
        await foreach (var batch in events.FollowBatchesAsync<TaskStatusEvent>(MasterStreamProvider.Name, DcosStreams.TaskStatuses, head, token))
        {
            foreach (var (update, _) in batch)
            {
                var status = update.Status;
                if (known.Add(status.TaskId) && update.AgentId.Length > 0
                    && (await grains.GetGrain<IAgentGrain>(update.AgentId).Tasks(status.FrameworkId, [status.TaskId]))?.FirstOrDefault() is { } task)
                {
                    await records.WriteAsync(MesosOperatorJson.Response("TASK_ADDED", new JsonObject
                    {
                        ["task"] = MesosOperatorJson.Task(update.AgentId, update.AgentIp, task with { State = status.State }, null),
                    }), token);
                    if (status.State == TaskState.TASK_STAGING)
                    {
                        continue; // a task is added staging: its first update is the next state
                    }
                }

                await records.WriteAsync(MesosOperatorJson.Response("TASK_UPDATED", new JsonObject
                {
                    ["framework_id"] = MesosIdJson.Of(status.FrameworkId),
                    ["status"] = MesosTaskStatusJson.Write(update),
                    ["state"] = status.State.ToString(),
                }), token);
            }
        }
    }

    private static async Task FollowMembersAsync(
        IGrainFactory grains, HashSet<string> agents, Dictionary<string, (bool Active, bool Connected, bool Removed)> frameworks,
        ChannelWriter<JsonObject> records, TimeProvider time, CancellationToken token)
    {
        using var timer = new PeriodicTimer(MembersEvery, time);
        while (await timer.WaitForNextTickAsync(token))
        {
            var listed = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var shard in MasterKeys.AllAgentRegistries)
            {
                foreach (var (id, removed) in await grains.GetGrain<IRegistryGrain>(shard).List())
                {
                    listed[id] = removed;
                }
            }

            foreach (var (id, removed) in listed.Where(kv => !kv.Value && !agents.Contains(kv.Key)).ToList())
            {
                var snapshot = await grains.GetGrain<IAgentGrain>(id).GetSnapshot();
                if (snapshot.Status is AgentStatus.Gone or AgentStatus.Unknown)
                {
                    continue;
                }

                agents.Add(id);
                await records.WriteAsync(MesosOperatorJson.Response("AGENT_ADDED", new JsonObject { ["agent"] = MesosOperatorJson.Agent(snapshot, null) }), token);
            }

            foreach (var id in agents.Where(id => !listed.TryGetValue(id, out var removed) || removed).ToList())
            {
                agents.Remove(id);
                await records.WriteAsync(MesosOperatorJson.Response("AGENT_REMOVED", new JsonObject { ["agent_id"] = MesosIdJson.Of(id) }), token);
            }

            var ids = (await grains.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).List()).Keys;
            foreach (var id in ids.Order(StringComparer.Ordinal))
            {
                var snapshot = await grains.GetGrain<IFrameworkGrain>(id).GetSnapshot();
                if (snapshot.Info.Name.Length == 0)
                {
                    continue;
                }

                var now = Standing(snapshot);
                var type = !frameworks.TryGetValue(id, out var before) ? (now.Removed ? null : "FRAMEWORK_ADDED")
                    : before == now ? null
                    : now.Removed ? "FRAMEWORK_REMOVED" : "FRAMEWORK_UPDATED";
                frameworks[id] = now;
                if (type is null)
                {
                    continue;
                }

                var body = type == "FRAMEWORK_REMOVED"
                    ? new JsonObject { ["framework_info"] = MesosFrameworkInfoJson.Write(snapshot.Info) }
                    : new JsonObject { ["framework"] = MesosOperatorJson.Framework(snapshot, Resources.Empty) };
                await records.WriteAsync(MesosOperatorJson.Response(type, body), token);
            }
        }
    }

    private static async Task HeartbeatsAsync(ChannelWriter<JsonObject> records, TimeProvider time, CancellationToken token)
    {
        using var timer = new PeriodicTimer(Heartbeat, time);
        while (await timer.WaitForNextTickAsync(token))
        {
            await records.WriteAsync(new JsonObject { ["type"] = "HEARTBEAT" }, token);
        }
    }

    private static (bool Active, bool Connected, bool Removed) Standing(FrameworkSnapshot framework) => (framework.Active, framework.Connected, framework.Removed);
}
