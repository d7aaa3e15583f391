using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Scheduling.Jobs;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// The jobs root: the durable list of jobs with their parents, and the clock. Jobs report when they next need to be
/// called; a timer every 50 ms calls those whose time came. A new activation (the root's silo died) wakes every
/// job, which handles what came due meanwhile from its own state. Reentrant: every method changes the list before
/// its first await, and the list's writes are coalesced (a burst of creations shares writes instead of writing the
/// whole list once each).
/// </summary>
[Reentrant]
internal sealed class JobsGrain(
    [PersistentState("jobs")] IPersistentState<JobsGrainState> state,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobsGrain> logger) : Grain, IJobsGrain
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan TickRetryDelay = TimeSpan.FromSeconds(1);
    private readonly PriorityQueue<string, DateTimeOffset> _wakes = new();
    private readonly Dictionary<string, DateTimeOffset> _wakeAt = new(StringComparer.Ordinal);
    private readonly CoalescedWrites _writes = new(() => state.WriteStateAsync());

    /// <summary>Each parent's children, so a success (every run of every dependent's parent) does not scan every job.</summary>
    private JobChildren _children = new();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(365));
        var now = time.GetUtcNow();
        foreach (var name in state.State.Jobs.Keys)
        {
            Schedule(name, now);
        }

        _children = JobChildren.Of(state.State.Jobs);

        this.RegisterGrainTimer(_ => WakeDueAsync(), new GrainTimerCreationOptions(Resolution, Resolution) { Interleave = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Put(JobDefinition definition)
    {
        var jobs = state.State.Jobs;
        if (!jobs.ContainsKey(definition.Name) && jobs.Count >= options.Value.MaxJobs)
        {
            throw JobValidationException.Of("/name", $"there are {jobs.Count} jobs already; the limit is {options.Value.MaxJobs} (Jobs:MaxJobs)");
        }

        if (definition.Parents is { Count: > 0 } parents && JobGraph.Problem(definition.Name, parents, jobs) is { } problem)
        {
            throw JobValidationException.Of("/parents", problem);
        }

        _children.Unlink(definition.Name, jobs.GetValueOrDefault(definition.Name) ?? []);
        jobs[definition.Name] = [.. definition.Parents ?? []];
        _children.Link(definition.Name, jobs[definition.Name]);
        await _writes.PersistAsync();
        await GrainFactory.GetGrain<IJobGrain>(definition.Name).Set(definition);
    }

    /// <inheritdoc />
    public async Task Delete(string name)
    {
        if (!state.State.Jobs.ContainsKey(name))
        {
            throw new JobNotFoundException($"Job '{name}' does not exist");
        }

        if (_children.Of(name) is { Count: > 0 } children)
        {
            throw JobValidationException.Of("/", $"job '{name}' is a parent of {string.Join(", ", children)}: delete or change them first");
        }

        // Out of the list first (nothing can make it a parent meanwhile), then gone.
        _children.Unlink(name, state.State.Jobs[name]);
        state.State.Jobs.Remove(name);
        _wakeAt.Remove(name);
        await _writes.PersistAsync();
        await GrainFactory.GetGrain<IJobGrain>(name).Delete();
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Links() =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(new Dictionary<string, IReadOnlyList<string>>(state.State.Jobs, StringComparer.Ordinal));

    /// <inheritdoc />
    public Task Wake(string name, DateTimeOffset? at)
    {
        if (at is { } when && state.State.Jobs.ContainsKey(name))
        {
            Schedule(name, when);
        }
        else
        {
            _wakeAt.Remove(name);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Succeeded(string name, DateTimeOffset at)
    {
        foreach (var child in _children.Of(name))
        {
            Call(child, job => job.ParentSucceeded(name, at));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SchedulerRestarted()
    {
        foreach (var name in state.State.Jobs.Keys)
        {
            Call(name, job => job.Resync());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Ping() => Task.CompletedTask;

    private void Schedule(string name, DateTimeOffset at)
    {
        _wakeAt[name] = at;
        _wakes.Enqueue(name, at);
    }

    /// <summary>Calls every job whose time came (an entry superseded by a later report is dropped).</summary>
    private Task WakeDueAsync()
    {
        var now = time.GetUtcNow();
        while (_wakes.TryPeek(out var name, out var at) && at <= now)
        {
            _wakes.Dequeue();
            if (_wakeAt.TryGetValue(name, out var wanted) && wanted == at)
            {
                _wakeAt.Remove(name);
                _ = TickAsync(name);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Ticks a job whose time came. The job reports its next wake when the tick is done; a tick that fails (its silo
    /// died under the call, the store was down) would leave the job with no wake at all — no run until the root
    /// restarts — so the root keeps the job and ticks it again shortly (a tick is idempotent: the job works from its
    /// saved due times).
    /// </summary>
    private async Task TickAsync(string name)
    {
        try
        {
            await GrainFactory.GetGrain<IJobGrain>(name).Tick();
        }
        catch (Exception ex)
        {
            JobsLog.JobCallFailed(logger, name, ex.GetBaseException().Message);
            if (state.State.Jobs.ContainsKey(name) && !_wakeAt.ContainsKey(name))
            {
                Schedule(name, time.GetUtcNow() + TickRetryDelay);
            }
        }
    }

    /// <summary>Calls a job without waiting; a failure is logged (the job is woken again by its next report or the next activation).</summary>
    private void Call(string name, Func<IJobGrain, Task> call) => _ = call(GrainFactory.GetGrain<IJobGrain>(name)).ContinueWith(
        t => JobsLog.JobCallFailed(logger, name, t.Exception!.GetBaseException().Message),
        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
