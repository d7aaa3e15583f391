using System.Collections.Concurrent;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Support.Master;

/// <summary>
/// A node daemon without tasks: it speaks the real agent link (WebSocket, registration, heartbeats, commands,
/// status updates resent until acknowledged, re-registration with its tasks) but only pretends to run what it is
/// given, as <see cref="Behaviour"/> says. Many fit in one process. It checks what a real agent would suffer
/// from: it records a violation whenever the tasks it runs would need more than its resources.
/// </summary>
public sealed class SimulatedAgent : IAgentLinkHandler, IAsyncDisposable
{
    private static readonly TimeSpan Scan = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxResend = TimeSpan.FromSeconds(30);
    private readonly AgentLinkClient _link;
    private readonly Res _total;
    private readonly ConcurrentDictionary<string, SimTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<SimTask> _headChanged = new();
    private Res _inUse = Res.Empty;
    private volatile bool _silent;

    /// <summary>Creates an agent; <see cref="Start"/> connects it.</summary>
    public SimulatedAgent(IReadOnlyList<Uri> gateways, string agentId, string resources, string attributes = "", string? token = null)
    {
        // The real client: connects within 60 s (thousands register at once), retries within a second.
        _link = new AgentLinkClient(new AgentLinkClientOptions
        {
            Gateways = gateways,
            Token = token,
            ConnectTimeout = TimeSpan.FromSeconds(60),
            RetryFirst = TimeSpan.FromMilliseconds(50),
            RetryMax = TimeSpan.FromSeconds(1),
            Hung = () => _silent,
        }, this);
        AgentId = agentId;
        Resources = resources;
        Attributes = attributes;
        _total = Res.Parse(resources);
    }

    /// <summary>The agent's id.</summary>
    public string AgentId { get; }

    /// <summary>Its resources (Mesos syntax).</summary>
    public string Resources { get; }

    /// <summary>Its attributes.</summary>
    public string Attributes { get; }

    /// <summary>Its fault domain (region, zone), or null.</summary>
    public (string Region, string Zone)? FaultDomain { get; init; }

    /// <summary>What each launched task does (default: starts at once, runs until killed).</summary>
    public Func<TaskSpec, SimulatedOutcome> Behaviour { get; set; } = _ => new SimulatedOutcome(TimeSpan.Zero);

    /// <summary>
    /// How long an unacknowledged update waits before it is sent again (doubling up to 30 s each time). Default 2 s;
    /// Mesos' agents wait 10 s.
    /// </summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Why the last link ended (the master's REREGISTER or ERROR message, or the failure), or null.</summary>
    public string? LastDisconnect => _link.LastDisconnect;

    /// <summary>Times it registered (first enrollment included).</summary>
    public int Registrations => _link.Registrations;

    /// <summary>True while registered on a live link.</summary>
    public bool Connected => _link.Connected;

    /// <summary>Over-commitment seen (tasks needing more than the agent has), or launches of a task id it already runs.</summary>
    public IReadOnlyCollection<string> Violations => _violations.ToArray();

    /// <summary>The tasks it has, with their current state.</summary>
    public IReadOnlyDictionary<string, TaskState> Tasks => _tasks.ToDictionary(t => t.Key, t => t.Value.State, StringComparer.Ordinal);

    /// <summary>Launch specs received, by task id.</summary>
    public IReadOnlyDictionary<string, TaskSpec> Specs => _tasks.ToDictionary(t => t.Key, t => t.Value.Spec, StringComparer.Ordinal);

    /// <summary>The ids of the tasks RUNNING on <paramref name="agents"/> whose id starts with <paramref name="taskPrefix"/> (an app's, e.g. <c>ha_web.</c>).</summary>
    public static List<string> RunningOf(IEnumerable<SimulatedAgent> agents, string taskPrefix) =>
        [.. agents.SelectMany(a => a.Tasks.Where(t => t.Key.StartsWith(taskPrefix, StringComparison.Ordinal) && t.Value == TaskState.TASK_RUNNING).Select(t => t.Key))];

    /// <summary>Connects (and keeps reconnecting) in the background.</summary>
    public SimulatedAgent Start()
    {
        _link.Start();
        return this;
    }

    /// <summary>Stops heartbeats and updates while keeping the socket open (a hung daemon); <see cref="Speak"/> resumes.</summary>
    public void Silence() => _silent = true;

    /// <summary>Resumes after <see cref="Silence"/>.</summary>
    public void Speak() => _silent = false;

    /// <summary>Ends a running task with <paramref name="state"/> (as if the process exited).</summary>
    public void Finish(string taskId, TaskState state)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            Report(task, state, null);
        }
    }

    /// <summary>Stops the agent for good (a crash: no goodbye).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _link.DisposeAsync();
    }

    /// <inheritdoc />
    AgentRegistration IAgentLinkHandler.Registration() => new(
        new AgentInfo(AgentId, $"{AgentId}.sim", Res.Parse(Resources), Attributes, "simulated", Region: FaultDomain?.Region, Zone: FaultDomain?.Zone),
        _tasks.Values.Select(t => new AgentTask(t.Spec.TaskId, t.Spec.FrameworkId, t.Spec.Name, t.Spec.Role, t.Spec.Resources, t.State)).ToArray());

    /// <inheritdoc />
    Task IAgentLinkHandler.LinkedAsync(AgentRegistered registered, CancellationToken linkDone)
    {
        foreach (var id in registered.KillTasks)
        {
            if (_tasks.TryGetValue(id, out var task))
            {
                Report(task, TaskState.TASK_KILLED, "killed at re-registration");
            }
        }

        return FlushUpdatesAsync(linkDone);
    }

    /// <inheritdoc />
    void IAgentLinkHandler.Launch(IReadOnlyList<TaskSpec> tasks)
    {
        foreach (var spec in tasks)
        {
            Launch(spec);
        }
    }

    /// <inheritdoc />
    void IAgentLinkHandler.Kill(string taskId, TimeSpan? grace)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            Report(task, TaskState.TASK_KILLED, "killed on request");
        }
    }

    /// <inheritdoc />
    void IAgentLinkHandler.ShutdownFramework(string frameworkId)
    {
        foreach (var t in _tasks.Values.Where(t => t.Spec.FrameworkId == frameworkId))
        {
            Report(t, TaskState.TASK_KILLED, "framework shut down");
        }
    }

    /// <inheritdoc />
    Task IAgentLinkHandler.AcknowledgeAsync(TaskAck ack)
    {
        Acknowledge(ack);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    LogChunk IAgentLinkHandler.ReadLog(LogRequest log)
    {
        var data = _tasks.ContainsKey(log.TaskId) ? $"simulated {log.File} of {log.TaskId}\n" : null;
        return data is null
            ? new LogChunk(log.RequestId, log.Offset, "", 0, $"task '{log.TaskId}' is not on agent '{AgentId}'")
            : new LogChunk(log.RequestId, log.Offset, data[(int)Math.Min(log.Offset, data.Length)..], data.Length);
    }

    private void Launch(TaskSpec spec)
    {
        lock (_lock)
        {
            if (_tasks.TryGetValue(spec.TaskId, out var existing) && !existing.State.IsTerminal())
            {
                _violations.Enqueue($"task '{spec.TaskId}' launched while it already runs");
                return;
            }

            var task = new SimTask(spec) { Backoff = ResendAfter };
            var need = _inUse.Plus(task.Needs);
            if (!_total.Contains(need))
            {
                _violations.Enqueue($"task '{spec.TaskId}' needs {spec.Resources} but {_inUse} of {_total} is in use");
            }

            _inUse = need;
            _tasks[spec.TaskId] = task;
        }

        var outcome = Behaviour(spec);
        if (outcome.StartDelay <= TimeSpan.Zero && outcome.RunFor is null)
        {
            Report(_tasks[spec.TaskId], TaskState.TASK_RUNNING, null, onlyIfState: TaskState.TASK_STAGING);
            return;
        }

        _ = Task.Run(async () =>
        {
            var task = _tasks[spec.TaskId];
            await Task.Delay(outcome.StartDelay, _stop.Token);
            Report(task, TaskState.TASK_RUNNING, null, onlyIfState: TaskState.TASK_STAGING);
            if (outcome.RunFor is { } runFor)
            {
                await Task.Delay(runFor, _stop.Token);
                Report(task, outcome.End, "simulated end", onlyIfState: TaskState.TASK_RUNNING);
            }
        });
    }

    private void Report(SimTask task, TaskState state, string? message, TaskState? onlyIfState = null)
    {
        lock (_lock)
        {
            if (task.State.IsTerminal() || onlyIfState is { } required && task.State != required)
            {
                return;
            }

            if (state.IsTerminal())
            {
                _inUse = _inUse.Minus(task.Needs);
            }

            task.State = state;
            if (task.Pending.Count == 0)
            {
                _headChanged.Enqueue(task);
            }

            task.Pending.Enqueue(new TaskStatusUpdate(task.Spec.TaskId, task.Spec.FrameworkId, state, Guid.NewGuid(),
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, state.IsTerminal() ? TaskReasons.CommandExited : null, message));
        }

        Wake();
    }

    private void Acknowledge(TaskAck ack)
    {
        lock (_lock)
        {
            if (_tasks.TryGetValue(ack.TaskId, out var task) && task.Pending.TryPeek(out var head) && head.Uuid == ack.Uuid)
            {
                task.Pending.Dequeue();
                task.SentAt = null;
                task.Backoff = ResendAfter;
                if (task.Pending.Count > 0)
                {
                    _headChanged.Enqueue(task);
                }
                else if (task.State.IsTerminal())
                {
                    _tasks.TryRemove(ack.TaskId, out _);
                }
            }
        }

        Wake();
    }

    /// <summary>
    /// Sends each task's oldest unacknowledged update (only the head, so order per task holds) when one is queued
    /// or acknowledged, and again while unacknowledged after a backoff (<see cref="ResendAfter"/> doubling to
    /// <see cref="MaxResend"/>, as the node daemon: a slow master is not flooded with resends). A wake-up sends only
    /// the tasks whose head changed; every task is looked at only when resends are due.
    /// </summary>
    private async Task FlushUpdatesAsync(CancellationToken cancellationToken)
    {
        foreach (var task in _tasks.Values)
        {
            task.SentAt = null;
            task.Backoff = ResendAfter;
            _headChanged.Enqueue(task);
        }

        var lastScan = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(Scan, cancellationToken);
            if (_silent)
            {
                continue;
            }

            var now = DateTime.UtcNow;
            var scan = now - lastScan >= Scan;
            var due = new List<TaskStatusUpdate>();
            lock (_lock)
            {
                while (_headChanged.TryDequeue(out var task))
                {
                    if (task.Pending.TryPeek(out var head) && task.SentAt is null)
                    {
                        task.SentAt = now;
                        due.Add(head);
                    }
                }

                if (scan)
                {
                    lastScan = now;
                    foreach (var task in _tasks.Values)
                    {
                        if (task.Pending.TryPeek(out var head) && (task.SentAt is null || now - task.SentAt > task.Backoff))
                        {
                            if (task.SentAt is not null)
                            {
                                task.Backoff = task.Backoff * 2 < MaxResend ? task.Backoff * 2 : task.Backoff < MaxResend ? MaxResend : task.Backoff;
                            }

                            task.SentAt = now;
                            due.Add(head);
                        }
                    }
                }
            }

            if (due.Count > 0)
            {
                await _link.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Update, Updates: due), cancellationToken);
            }
        }
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another thread woke it already.
        }
    }

    private sealed class SimTask(TaskSpec spec)
    {
        public TaskSpec Spec { get; } = spec;

        public Res Needs => Spec.Resources;

        public TaskState State { get; set; } = TaskState.TASK_STAGING;

        public Queue<TaskStatusUpdate> Pending { get; } = new();

        public DateTime? SentAt { get; set; }

        public TimeSpan Backoff { get; set; }
    }
}
