using System.Diagnostics;
using OrleansDcos.AgentLink;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// T1 (Nomad's C1M, on the master): one silo on PostgreSQL, M simulated agents on real agent links (WebSockets),
/// 100 frameworks that fill every offer with 1-cpu tasks until each has launched its share, and acknowledge
/// every update. Done when every task is acknowledged RUNNING (each RUNNING was published on the durable
/// task-status stream before the framework saw it). The agents run in a child process (both ends of 10,000
/// links would not fit one process's descriptors); memory is this process's managed heap after a full
/// collection — the silo and the 100 in-process frameworks' small loops.
/// </summary>
internal sealed class C1mScenario : IScenario
{
    private const int Frameworks = 100;

    public string Name => "c1m";

    public string Description => "N tasks on M simulated agents, 100 frameworks, one silo + PostgreSQL: seconds until all RUNNING+acked (target 1M on 10k <= 100 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (tasks, agents) = small ? (50_000, 5_000) : (1_000_000, 10_000);
        if (Environment.GetEnvironmentVariable("C1M_TASKS") is { } t && Environment.GetEnvironmentVariable("C1M_AGENTS") is { } a)
        {
            (tasks, agents) = (int.Parse(t, System.Globalization.CultureInfo.InvariantCulture), int.Parse(a, System.Globalization.CultureInfo.InvariantCulture));
        }

        var perAgent = (tasks + agents - 1) / agents;
        // The master's defaults (offers expire after 30 s), but one allocation round a second.
        await using var cluster = await MasterBenchCluster.StartAsync(o => o.AllocationInterval = TimeSpan.FromSeconds(1));
        var grains = cluster.RunningSilos[0].Grains;
        var heapBefore = Heap();

        var registering = Stopwatch.StartNew();
        var running = 0L;
        var relaunched = 0L;
        await using var simulated = SimulatedAgentsHost.Start(cluster.Gateways[0], agents, $"cpus:{perAgent};mem:{perAgent * 32}");
        string Status() => simulated.Output.LastOrDefault(l => l.StartsWith("connected", StringComparison.Ordinal)) ?? "connected 0 violations 0";
        using var progress = new Timer(_ => Console.Error.WriteLine($"  c1m: {registering.Elapsed.TotalSeconds:0}s agents {Status()}, running {Interlocked.Read(ref running)}/{tasks}"),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        var allocator = grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);
        await Poll.UntilAsync(async () => (await allocator.GetSnapshot()).Agents.Count(x => x.Active) == agents, TimeSpan.FromMinutes(5), "every simulated agent registered", TimeSpan.FromSeconds(1));
        var registerSeconds = registering.Elapsed.TotalSeconds;
        var heapAgents = Heap();
        if (Environment.GetEnvironmentVariable("C1M_HOLD") is { } hold)
        {
            // Time to take a heap dump of the registered agents (dotnet-gcdump collect -p PID; docs/BENCHMARKS.md).
            Console.Error.WriteLine($"  c1m: HOLD pid {Environment.ProcessId} heapBefore {heapBefore} heapAgents {heapAgents}");
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(hold, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var clock = Stopwatch.StartNew();
        var share = tasks / Frameworks;
        var loops = Enumerable.Range(0, Frameworks).Select(f => Task.Run(() => RunFrameworkAsync(grains, $"fw{f}", f < tasks % Frameworks ? share + 1 : share, () => Interlocked.Increment(ref running), () => Interlocked.Increment(ref relaunched)))).ToArray();
        var limit = TimeSpan.FromSeconds(small ? 120 : 300);
        await Task.WhenAny(Task.WhenAll(loops), Task.Delay(limit));
        var completed = loops.All(l => l.IsCompletedSuccessfully);
        var seconds = clock.Elapsed.TotalSeconds;
        var failure = loops.FirstOrDefault(l => l.IsFaulted)?.Exception?.InnerException?.Message;
        var heapTasks = Heap();

        if (!completed)
        {
            Console.Error.WriteLine($"  c1m: not complete after {seconds:0} s ({Interlocked.Read(ref running)} running){(failure is null ? "" : $": {failure}")}");
        }

        if (simulated.Output.LastOrDefault(l => l.StartsWith("disconnects", StringComparison.Ordinal)) is { } disconnects)
        {
            Console.Error.WriteLine($"  c1m: {disconnects[..Math.Min(disconnects.Length, 2000)]}");
        }

        var violations = long.Parse(Status().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);

        return new ScenarioResult()
            .Add("tasks", tasks)
            .Add("completed", completed ? 1 : 0)
            .Add("running", Interlocked.Read(ref running))
            .Add("agents", agents)
            .Add("seconds", seconds, 2)
            .Add("tasks_per_s", tasks / seconds, 0)
            .Add("register_seconds", registerSeconds, 2)
            .Add("bytes_per_task", (heapTasks - heapAgents) / tasks)
            .Add("bytes_per_agent", (heapAgents - heapBefore) / agents)
            .Add("relaunched", Interlocked.Read(ref relaunched))
            .Add("violations", violations);
    }

    /// <summary>
    /// A framework that fills offers with 1-cpu tasks until <paramref name="quota"/> are launched, acknowledging every
    /// update, until all run. A task that ends before running (DROPPED: its offer was rescinded first) is launched again.
    /// </summary>
    private static async Task RunFrameworkAsync(IGrainFactory grains, string id, int quota, Action onRunning, Action onRelaunch)
    {
        var framework = grains.GetGrain<IFrameworkGrain>(id);
        var subscription = await framework.Subscribe(new FrameworkInfo(id, id, FailoverTimeoutSeconds: 3600));
        var next = 0;
        var outstanding = 0;
        var suppressed = false;
        var running = new HashSet<string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var cursor = 0L;
        while (running.Count < quota)
        {
            var batch = await framework.Poll(subscription.StreamId, cursor, TimeSpan.FromSeconds(5));
            cursor = batch.Cursor;
            foreach (var @event in batch.Events)
            {
                if (@event.Offers is { } offers)
                {
                    // Offers it does not need go back at once, in one DECLINE, so other frameworks get them sooner
                    // (the first round can hand one framework far more than its share).
                    var take = new List<(OfferInfo Offer, int Count)>();
                    var surplus = new List<string>();
                    var want = quota - outstanding;
                    foreach (var offer in offers)
                    {
                        var count = Math.Min((int)Math.Floor(offer.Resources.ScalarTotal(Resources.Cpus).ToDouble()), want);
                        if (count <= 0)
                        {
                            surplus.Add(offer.OfferId);
                            continue;
                        }

                        take.Add((offer, count));
                        want -= count;
                    }

                    if (surplus.Count > 0)
                    {
                        await framework.Decline(subscription.StreamId, surplus, TimeSpan.FromHours(1));
                    }

                    foreach (var (offer, count) in take)
                    {
                        var specs = new TaskSpec[count];
                        for (var i = 0; i < count; i++)
                        {
                            var taskId = $"{id}.{next++}";
                            specs[i] = new TaskSpec(taskId, taskId, id, "*", Resources.Parse("cpus:1;mem:32"), new CommandSpec("sleep 1000"));
                        }

                        outstanding += count;
                        await framework.Accept(subscription.StreamId, new AcceptCall([offer.OfferId], [new OfferOperation(OfferOperationTypes.Launch, specs)], Refuse: outstanding >= quota ? TimeSpan.FromHours(1) : TimeSpan.Zero));
                        if (outstanding >= quota && !suppressed)
                        {
                            // Everything is launched: no more offers.
                            await framework.Suppress(subscription.StreamId, null);
                            suppressed = true;
                        }
                    }
                }
                else if (@event.Status is { } update)
                {
                    if (update.Status.Uuid != Guid.Empty)
                    {
                        await framework.Acknowledge(subscription.StreamId, update.AgentId, update.Status.TaskId, update.Status.Uuid);
                    }

                    // Updates are delivered at least once: count each task once.
                    var taskId = update.Status.TaskId;
                    if (update.Status.State == TaskState.TASK_RUNNING && running.Add(taskId))
                    {
                        onRunning();
                    }
                    else if (update.Status.State.IsTerminal() && !running.Contains(taskId) && failed.Add(taskId))
                    {
                        outstanding--;
                        onRelaunch();
                        if (suppressed)
                        {
                            await framework.Revive(subscription.StreamId, null);
                            suppressed = false;
                        }
                    }
                }
            }
        }
    }


    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
