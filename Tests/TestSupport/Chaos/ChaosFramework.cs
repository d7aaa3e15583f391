using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Support.Master;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// An external Mesos framework on the v1 scheduler API, as a real one behaves under failures: subscribed with a
/// failover timeout, it subscribes again with its framework id (to another silo) whenever its event stream ends, and
/// keeps launching short tasks (which finish) and long ones (which it kills). It remembers every task the master
/// acknowledged (ACCEPT answered 202) and every status update it received, over all its subscriptions.
/// </summary>
public sealed class ChaosFramework(ChaosCluster cluster, Random random) : IAsyncDisposable
{
    private const int MaxActive = 6;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private readonly List<RawFramework> _subscriptions = [];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _launched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _killAt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private RawFramework? _current;
    private bool _windingDown;
    private DateTimeOffset _nextKills;
    private string? _frameworkId;
    private int _next;

    /// <summary>The framework id (after the first subscription).</summary>
    public string? FrameworkId => _frameworkId;

    /// <summary>Tasks the master acknowledged launching, with when.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Launched => _launched;

    /// <summary>Subscriptions made (the first, and one after each stream that ended).</summary>
    public int Subscriptions => _subscriptions.Count;

    /// <summary>Calls that failed for a reason other than a silo being down (kept for the report).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>Every status update received (task id, state, agent id), over all subscriptions, in arrival order per subscription.</summary>
    public IReadOnlyList<(string TaskId, string State, string? AgentId)> Updates()
    {
        RawFramework[] all;
        lock (_subscriptions)
        {
            all = [.. _subscriptions];
        }

        return [.. all.SelectMany(s => s.Events)
            .Where(e => e["type"]?.GetValue<string>() == "UPDATE")
            .Select(e => e["update"]!["status"]!)
            .Select(s => (s["task_id"]!["value"]!.GetValue<string>(), s["state"]!.GetValue<string>(), s["agent_id"]?["value"]?.GetValue<string>()))];
    }

    /// <summary>
    /// One step: subscribe again if the stream ended; kill long tasks due; launch a task when an offer is held — or,
    /// once <see cref="WindDown"/> was called, launch nothing and ask again to kill every task not known ended.
    /// </summary>
    public async Task StepAsync()
    {
        if (_current is null || _current.StreamEnded)
        {
            await SubscribeAsync();
            return;
        }

        var framework = _current;
        if (_windingDown)
        {
            await KillUnfinishedAsync(framework);
            return;
        }

        try
        {
            foreach (var (due, at) in _killAt)
            {
                if (at <= DateTimeOffset.UtcNow && _killAt.TryRemove(due, out _))
                {
                    await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = due } }).WaitAsync(CallTimeout);
                }
            }

            var states = Updates().GroupBy(u => u.TaskId).ToDictionary(g => g.Key, g => g.Last().State, StringComparer.Ordinal);
            var active = _launched.Keys.Count(t => !states.TryGetValue(t, out var s) || !IsTerminal(s));
            if (active >= MaxActive || framework.Offers.Count == 0)
            {
                return;
            }

            var offer = framework.Offers.Values.First();
            if (RawFramework.Scalar(offer, "cpus") < 0.05 || RawFramework.Scalar(offer, "mem") < 16)
            {
                await framework.DeclineAsync(offer["id"]!["value"]!.GetValue<string>(), 1);
                return;
            }

            int seconds;
            bool killed;
            lock (random)
            {
                killed = random.NextDouble() < 0.4;
                seconds = killed ? 3600 : random.Next(3, 20);
            }

            var taskId = $"ext-{Interlocked.Increment(ref _next):0000}";
            await framework.LaunchTasksAsync(offer, [new JsonObject
            {
                ["name"] = taskId,
                ["task_id"] = new JsonObject { ["value"] = taskId },
                ["resources"] = RawFramework.Scalars(0.05, 16),
                ["command"] = new JsonObject { ["value"] = $"sleep {seconds}" },
            }], refuseSeconds: 1).WaitAsync(CallTimeout);
            _launched[taskId] = DateTimeOffset.UtcNow;
            if (killed)
            {
                lock (random)
                {
                    _killAt[taskId] = DateTimeOffset.UtcNow.AddSeconds(random.Next(5, 25));
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or TimeoutException)
        {
            // A silo died under the call, or the master refused it: the stream ends with the silo; note anything else.
            if (!ex.Message.Contains("503", StringComparison.Ordinal) && ex is InvalidOperationException)
            {
                _problems.Enqueue(ex.Message);
            }
        }
    }

    /// <summary>The end of the soak: from now on each step launches nothing and kills what still runs (a kill lost with a silo is asked again, as a framework does).</summary>
    public void WindDown() => _windingDown = true;

    /// <summary>The launched tasks of which no end was received yet.</summary>
    public IReadOnlyList<string> Unfinished()
    {
        var ended = Updates().Where(u => IsTerminal(u.State)).Select(u => u.TaskId).ToHashSet(StringComparer.Ordinal);
        return [.. _launched.Keys.Where(t => !ended.Contains(t))];
    }

    private async Task KillUnfinishedAsync(RawFramework framework)
    {
        if (DateTimeOffset.UtcNow < _nextKills)
        {
            return;
        }

        _nextKills = DateTimeOffset.UtcNow.AddSeconds(3);
        foreach (var taskId in Unfinished())
        {
            try
            {
                await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = taskId } }).WaitAsync(CallTimeout);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
            {
                // The silo went away: the next step subscribes again and asks again.
                return;
            }
        }
    }

    /// <summary>
    /// Whether a Mesos task state (its JSON name) is an end the framework may rely on: terminal as the master judges
    /// it, but not TASK_UNKNOWN (the master's ignorance, not the task's end).
    /// </summary>
    public static bool IsTerminal(string state) => Enum.TryParse<TaskState>(state, out var known) && known.IsTerminal() && known != TaskState.TASK_UNKNOWN;

    private async Task SubscribeAsync()
    {
        var framework = new RawFramework(cluster.AnySilo(random));
        try
        {
            await framework.SubscribeAsync("chaos-external", failoverTimeout: 3600, frameworkId: _frameworkId).WaitAsync(CallTimeout);
            _frameworkId = framework.FrameworkId;
            lock (_subscriptions)
            {
                _subscriptions.Add(framework);
            }

            _current = framework;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or TimeoutException)
        {
            await framework.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var framework in _subscriptions)
        {
            await framework.DisposeAsync();
        }
    }
}
