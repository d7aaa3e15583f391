using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Jobs;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// One Chronos job. A run's task id is its due time's and attempt's; due times up to
/// <see cref="JobGrainState.LastDue"/> are never looked at again. A scheduled run is queued at once and written with its
/// first status; the scheduler writes every launch before its ACCEPT. A silo dying at the due instant leaves either the
/// launch written (the next activation takes the run back, <see cref="AdoptLaunchedAsync"/>; a run queued again is
/// told, <see cref="Launched"/>, never launched twice) or nothing (the next activation finds the due time again: once
/// within epsilon, else skipped). The root calls <see cref="Tick"/> at the time the job asked.
/// </summary>
internal sealed class JobGrain(
    [PersistentState("job")] IPersistentState<JobGrainState> state,
    [PersistentState("jobhistory")] IPersistentState<JobHistoryState> history,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly JobsOptions _options = options.Value;
    private readonly HashSet<string> _killSent = new(StringComparer.Ordinal);
    private readonly List<MarathonEvent> _events = [];
    private bool _historyChanged;
    private IDisposable? _reconcile;
    private JobSchedule? _schedule;
    private string? _scheduleOf;

    private string Name => this.GetPrimaryKeyString();

    private JobGrainState S => state.State;

    private JobHistoryState H => history.State;

    private IJobsGrain Root => GrainFactory.GetGrain<IJobsGrain>(JobKeys.Root);

    private IChronosSchedulerGrain Scheduler => GrainFactory.GetGrain<IChronosSchedulerGrain>(JobKeys.Scheduler);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Definition is not null)
        {
            await AdoptLaunchedAsync();
            await Resync();
            await TickAsync();
        }
    }

    /// <inheritdoc />
    public Task<JobView?> Get() => Task.FromResult(S.Definition is { } definition
        ? new JobView(definition, S.SuccessCount, S.ErrorCount, S.LastSuccess, S.LastError, S.ErrorsSinceLastSuccess, S.SkippedCount,
            S.Active.FirstOrDefault(), definition.Disabled ? [] : NextDue(3))
        : null);

    /// <inheritdoc />
    public async Task Set(JobDefinition definition)
    {
        var now = Now();

        // A new or changed schedule starts from now: a due time within epsilon before now still runs, older ones never.
        var from = now - Epsilon(definition);
        S.LastDue = S.LastDue is { } last && last > from ? last : from;
        var change = JobEvents.Changed(Name, S.Definition is null ? "created" : "updated", now);
        S.Definition = definition;
        _schedule = null;

        // A definition the store refused is read back out: never run nor saved with a later write.
        await state.WriteOrReloadAsync(this);
        _events.Add(change);
        await TickAsync();
    }

    /// <inheritdoc />
    public async Task Delete()
    {
        foreach (var run in S.Active)
        {
            if (run.Launched)
            {
                await Scheduler.Kill(run.TaskId, run.AgentId);
            }
            else
            {
                await Scheduler.Dequeue(run.TaskId);
            }
        }

        await state.ClearStateAsync();
        state.State = new JobGrainState();
        await history.ClearStateAsync();
        history.State = new JobHistoryState();
        _historyChanged = false;
        _reconcile?.Dispose();
        _reconcile = null;
        _events.Add(JobEvents.Changed(Name, "deleted", Now()));
        await AfterChangeAsync();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public Task Tick() => TickAsync();

    /// <inheritdoc />
    public async Task RunNow(IReadOnlyList<string>? arguments)
    {
        var definition = S.Definition ?? throw new JobNotFoundException($"Job '{Name}' does not exist");
        if (!await StartRunAsync(definition, Now(), JobRun.Manual, arguments))
        {
            // Skipped (recorded): the count is state too.
            await state.WriteStateAsync();
        }

        await AfterChangeAsync();
    }

    /// <inheritdoc />
    public async Task Launched(string taskId, string agentId, string host, DateTimeOffset at)
    {
        var index = S.Active.FindIndex(r => r.TaskId == taskId);
        if (index < 0)
        {
            if (!H.Runs.Any(r => r.TaskId == taskId))
            {
                // Launched for a run that is gone (killed or deleted while it was being placed).
                await Scheduler.Kill(taskId, agentId);
            }

            return;
        }

        var run = S.Active[index];
        if (run.StartedAt is not null)
        {
            return;
        }

        // Not written here: the scheduler's record is the durable one, and the task's first status writes this too.
        S.Active[index] = run with
        {
            Launched = true,
            State = run.State == JobRunStates.Queued ? JobRunStates.Staging : run.State,
            AgentId = run.AgentId ?? agentId,
            Host = host,
            StartedAt = at,
        };
        if (S.Definition?.MaxCompletionTimeMs > 0)
        {
            await AfterChangeAsync();
        }
    }

    /// <inheritdoc />
    public async Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates)
    {
        var changed = false;
        foreach (var update in updates)
        {
            var status = update.Status;
            var index = S.Active.FindIndex(r => r.TaskId == status.TaskId);
            if (index < 0)
            {
                if (!status.State.IsTerminal())
                {
                    // A task of ours no run wants (an old attempt, a deleted job's): it goes.
                    await Scheduler.Kill(status.TaskId, update.AgentId.Length > 0 ? update.AgentId : null);
                }

                continue;
            }

            var run = S.Active[index];
            if (status.State != TaskState.TASK_UNREACHABLE)
            {
                S.UnreachableSince.Remove(run.TaskId);
            }

            switch (status.State)
            {
                case TaskState.TASK_UNREACHABLE:
                    // Not an end: the task may still run, or have finished, out of reach. Running the due time again
                    // now could run it twice; the run waits for the agent (its real status) or for the limit (Tick).
                    S.UnreachableSince.TryAdd(run.TaskId, Now());
                    break;
                case TaskState.TASK_STAGING or TaskState.TASK_STARTING:
                    S.Active[index] = run with { State = JobRunStates.Staging, AgentId = update.AgentId, Launched = true, StartedAt = run.StartedAt ?? Now() };
                    break;
                case TaskState.TASK_RUNNING or TaskState.TASK_KILLING:
                    if (run.State != JobRunStates.Running)
                    {
                        _events.Add(JobEvents.Run(Name, run with { State = JobRunStates.Running }, Now()));
                    }

                    S.Active[index] = run with { State = JobRunStates.Running, AgentId = update.AgentId, Launched = true, StartedAt = run.StartedAt ?? Now() };
                    break;
                case TaskState.TASK_FINISHED when S.Definition?.Async == true:
                    S.Active[index] = run with { State = JobRunStates.Finishing };
                    break;
                case TaskState.TASK_FINISHED:
                    Succeed(run);
                    break;
                default:
                    Fail(run, status.State, status.Message ?? status.Reason);
                    break;
            }

            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
            await AfterChangeAsync();
        }
    }

    /// <inheritdoc />
    public async Task ParentSucceeded(string parent, DateTimeOffset at)
    {
        if (S.Definition is not { Parents: { Count: > 0 } parents } definition || !parents.Contains(parent, StringComparer.Ordinal))
        {
            return;
        }

        S.ParentSuccesses[parent] = at;
        var ready = !definition.Disabled && JobGraph.Ready(S.LastRunStarted, parents.Select(p => S.ParentSuccesses.TryGetValue(p, out var s) ? s : (DateTimeOffset?)null));
        if (ready)
        {
            await StartRunAsync(definition, Now(), JobRun.Dependency, null);
        }

        await state.WriteStateAsync();
        await AfterChangeAsync();
    }

    /// <inheritdoc />
    public async Task ReportSuccess()
    {
        var run = S.Active.FirstOrDefault(r => r.State == JobRunStates.Finishing) ?? S.Active.FirstOrDefault(r => r.State == JobRunStates.Running)
            ?? throw new JobNotFoundException($"Job '{Name}' has no run to report a success of");
        if (run.State == JobRunStates.Running && run.Launched)
        {
            // Succeeds now; its task may still be ending.
            S.KilledOnRequest.Add(run.TaskId);
        }

        Succeed(run);
        await state.WriteStateAsync();
        await AfterChangeAsync();
    }

    /// <inheritdoc />
    public async Task KillTasks()
    {
        foreach (var run in S.Active.ToList())
        {
            S.KilledOnRequest.Add(run.TaskId);
            if (run.Launched)
            {
                await Scheduler.Kill(run.TaskId, run.AgentId);
            }
            else
            {
                await Scheduler.Dequeue(run.TaskId);
                Fail(run, TaskState.TASK_KILLED, "killed before it was launched");
            }
        }

        await state.WriteStateAsync();
        await AfterChangeAsync();
    }

    /// <inheritdoc />
    public async Task Resync()
    {
        var now = Now();
        foreach (var run in S.Active)
        {
            if (!run.Launched)
            {
                if (!S.RetryAt.TryGetValue(run.TaskId, out var at) || at <= now)
                {
                    await Scheduler.Enqueue(new JobLaunch(run.TaskId, S.Definition!, run.Arguments, now));
                }
            }
            else if (run.State == JobRunStates.Staging && now - (run.StartedAt ?? now) >= _options.LaunchReconcileAfter)
            {
                // Launched long ago and never heard of: the master answers with its state (LOST if it never got there).
                await Scheduler.Reconcile(run.TaskId, run.AgentId);
            }
        }

        EnsureReconcile();
    }

    /// <inheritdoc />
    public Task<JobHistory> History() => Task.FromResult(new JobHistory([.. H.Runs], [.. H.SuccessSeconds]));

    // ------------------------------------------------------------------ the decisions

    private async Task TickAsync()
    {
        if (S.Definition is not { } definition)
        {
            return;
        }

        var now = Now();
        var changed = false;

        // Retries whose delay is over are queued; runs past their maxCompletionTime are killed.
        foreach (var run in S.Active.Where(r => !r.Launched && S.RetryAt.TryGetValue(r.TaskId, out var at) && at <= now).ToList())
        {
            S.RetryAt.Remove(run.TaskId);
            await Scheduler.Enqueue(new JobLaunch(run.TaskId, definition, run.Arguments, now));
            changed = true;
        }

        // Runs whose agent stayed unreachable past the limit have failed (tried again if retries are left); their task,
        // should it come back, is no run's and is killed.
        foreach (var (taskId, since) in S.UnreachableSince.ToList())
        {
            var run = S.Active.FirstOrDefault(r => r.TaskId == taskId);
            if (run is null || now - since >= _options.UnreachableRetryAfter)
            {
                S.UnreachableSince.Remove(taskId);
                if (run is not null)
                {
                    Fail(run, TaskState.TASK_UNREACHABLE, $"its agent stayed unreachable for {_options.UnreachableRetryAfter}");
                }

                changed = true;
            }
        }

        if (definition.MaxCompletionTimeMs > 0)
        {
            var limit = TimeSpan.FromMilliseconds(definition.MaxCompletionTimeMs);
            foreach (var run in S.Active.Where(r => r.Launched && r.StartedAt is { } started && now - started >= limit && _killSent.Add(r.TaskId)))
            {
                JobsLog.RunOverdue(logger, Name, run.TaskId, limit);
                await Scheduler.Kill(run.TaskId, run.AgentId);
            }
        }

        if (!definition.Disabled && Schedule(definition) is { } schedule)
        {
            var plan = DuePlan.Of(schedule, Instant.FromDateTimeOffset(S.LastDue ?? now), Instant.FromDateTimeOffset(now), JobEpsilon.Parse(definition.Epsilon) ?? Duration.FromSeconds(60), maxListed: 20);
            foreach (var due in plan.Skipped)
            {
                Skip(due.ToDateTimeOffset(), $"later than epsilon ({definition.Epsilon}) after its due time");
            }

            S.SkippedCount += plan.SkippedCount - plan.Skipped.Count;
            JobMeters.Ended(Name, JobRunStates.Skipped, plan.SkippedCount - plan.Skipped.Count);

            // A run started alone needs no write now: its due time is written with the run's first status.
            var onlyRun = !changed && plan.SkippedCount == 0;
            if (plan.LastHandled is { } handled)
            {
                S.LastDue = handled.ToDateTimeOffset();
                changed = true;
            }

            if (plan.Run is { } run && await StartRunAsync(definition, run.ToDateTimeOffset(), JobRun.Scheduled, null) && onlyRun)
            {
                changed = false;
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        await AfterChangeAsync();
    }

    /// <summary>
    /// Records a run due at <paramref name="due"/> and queues its task; a job that is not <c>concurrent</c> skips the run
    /// (recorded) while a previous one is alive. False when nothing was started.
    /// </summary>
    private async Task<bool> StartRunAsync(JobDefinition definition, DateTimeOffset due, string trigger, IReadOnlyList<string>? arguments)
    {
        if (S.Active.Count > 0 && !definition.Concurrent)
        {
            Skip(due, "the previous run is still alive (concurrent is false)");
            return false;
        }

        var taskId = JobKeys.TaskId(Name, due, 0);
        if (S.Active.Any(r => r.TaskId == taskId) || H.Runs.Any(r => r.TaskId == taskId))
        {
            return false;
        }

        var run = new JobRun(due, trigger, 0, taskId, JobRunStates.Queued, Arguments: arguments);
        S.Active.Add(run);
        S.LastRunStarted = Now();
        JobsLog.RunQueued(logger, Name, due, trigger, taskId);
        var launch = new JobLaunch(taskId, definition, arguments, Now());
        if (trigger == JobRun.Scheduled)
        {
            // Queued at once, not written on the way (a cluster's cron at :00 is thousands of jobs at once): its task
            // id is its due time's, and the scheduler records every launch before it happens. A silo lost before the
            // job's next write leaves the due time unhandled in the saved state: the next activation takes the run
            // back if it was launched (AdoptLaunchedAsync), else finds the due time again — run once if still within
            // epsilon, skipped (recorded) if not.
            await Scheduler.Enqueue(launch);
        }
        else
        {
            // A manual or dependent run's id is the time it was asked for: recorded before it is queued.
            await state.WriteStateAsync();
            await Scheduler.Enqueue(launch);
        }

        _events.Add(JobEvents.Run(Name, run, Now()));
        EnsureReconcile();
        return true;
    }

    /// <summary>
    /// Takes back the scheduled runs the scheduler launched that this job's state does not hold — queued, then lost
    /// with a silo before the job's state was written — so they are followed, not skipped or run again.
    /// </summary>
    private async Task AdoptLaunchedAsync()
    {
        var launched = await Scheduler.LaunchedOf(Name);
        var adopted = false;
        foreach (var (taskId, at) in launched.OrderBy(kv => kv.Value.At))
        {
            if (JobKeys.Parse(taskId) is not { Attempt: 0 } key || S.Active.Any(r => r.TaskId == taskId) || H.Runs.Any(r => r.TaskId == taskId) || key.Due <= S.LastDue)
            {
                continue;
            }

            S.Active.Add(new JobRun(key.Due, JobRun.Scheduled, 0, taskId, JobRunStates.Staging, StartedAt: at.At, AgentId: at.AgentId, Host: at.Host, Launched: true));
            S.LastDue = key.Due;
            S.LastRunStarted = S.LastRunStarted > at.At ? S.LastRunStarted : at.At;
            adopted = true;
        }

        if (adopted)
        {
            await state.WriteStateAsync();
        }
    }

    private void Succeed(JobRun run)
    {
        var now = Now();
        S.Active.RemoveAll(r => r.TaskId == run.TaskId);
        Remember(run with { State = JobRunStates.Succeeded, FinishedAt = now });
        _events.Add(JobEvents.Run(Name, run with { State = JobRunStates.Succeeded }, now));
        S.SuccessCount++;
        JobMeters.Ended(Name, JobRunStates.Succeeded);
        S.LastSuccess = now;
        S.ErrorsSinceLastSuccess = 0;
        if (run.StartedAt is { } started)
        {
            H.SuccessSeconds.Add((now - started).TotalSeconds);
            if (H.SuccessSeconds.Count > _options.MaxHistory)
            {
                H.SuccessSeconds.RemoveAt(0);
            }
        }

        JobsLog.RunEnded(logger, Name, run.TaskId, JobRunStates.Succeeded, "");
        _ = Root.Succeeded(Name, now);
    }

    /// <summary>A failed attempt: retried after the delay up to <c>retries</c> times, unless it was killed on request.</summary>
    private void Fail(JobRun run, TaskState state, string? message)
    {
        var now = Now();
        var detail = $"{state}{(message is { Length: > 0 } ? ": " + message : "")}";
        S.Active.RemoveAll(r => r.TaskId == run.TaskId);
        var final = S.KilledOnRequest.Remove(run.TaskId) || run.Attempt >= (S.Definition?.Retries ?? 0);
        if (!final)
        {
            var next = run with
            {
                Attempt = run.Attempt + 1,
                TaskId = JobKeys.TaskId(Name, run.Due, run.Attempt + 1),
                State = JobRunStates.Queued,
                Launched = false,
                AgentId = null,
                Host = null,
                StartedAt = null,
                Message = detail,
            };
            S.Active.Add(next);
            S.RetryAt[next.TaskId] = now + _options.RetryDelay;
            _events.Add(JobEvents.Run(Name, run with { Message = detail }, now, state: "retrying"));
            JobsLog.RunRetried(logger, Name, run.TaskId, next.Attempt, _options.RetryDelay);
            JobMeters.Retries.Add(1, new KeyValuePair<string, object?>("job", Name));
            return;
        }

        Remember(run with { State = JobRunStates.Failed, FinishedAt = now, Message = detail });
        _events.Add(JobEvents.Run(Name, run with { State = JobRunStates.Failed, Message = detail }, now));
        S.ErrorCount++;
        JobMeters.Ended(Name, JobRunStates.Failed);
        S.LastError = now;
        S.ErrorsSinceLastSuccess++;
        JobsLog.RunEnded(logger, Name, run.TaskId, JobRunStates.Failed, $" ({detail})");
    }

    private void Skip(DateTimeOffset due, string reason)
    {
        S.SkippedCount++;
        JobMeters.Ended(Name, JobRunStates.Skipped);
        var skipped = new JobRun(due, JobRun.Scheduled, 0, JobKeys.TaskId(Name, due, 0), JobRunStates.Skipped, FinishedAt: Now(), Message: reason);
        Remember(skipped);
        _events.Add(JobEvents.Run(Name, skipped, Now()));
        JobsLog.RunSkipped(logger, Name, due, reason);
    }

    private void Remember(JobRun run)
    {
        H.Runs.Insert(0, run);
        if (H.Runs.Count > _options.MaxHistory)
        {
            H.Runs.RemoveRange(_options.MaxHistory, H.Runs.Count - _options.MaxHistory);
        }

        _historyChanged = true;
    }

    // ------------------------------------------------------------------ time

    /// <summary>
    /// After a change is written: its events go to the bus, and the root is told when to call next — the next due time,
    /// a retry's time, or a run's completion deadline.
    /// </summary>
    private async Task AfterChangeAsync()
    {
        if (_historyChanged)
        {
            // After the state that moved the run out of the active ones: a silo lost in between costs a history
            // entry, never a run counted twice.
            _historyChanged = false;
            await history.WriteStateAsync();
        }

        if (_events.Count > 0)
        {
            var events = _events.ToList();
            _events.Clear();
            var stream = this.GetStreamProvider(MarathonEventStream.ProviderName).GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
            await Task.WhenAll(events.Select(e => stream.OnNextAsync(e)));
        }

        if (S.Definition is not { } definition)
        {
            await Root.Wake(Name, null);
            return;
        }

        var wakes = new List<DateTimeOffset>();
        if (!definition.Disabled && NextDue(1) is [var due])
        {
            wakes.Add(due);
        }

        wakes.AddRange(S.RetryAt.Values);
        wakes.AddRange(S.UnreachableSince.Values.Select(since => since + _options.UnreachableRetryAfter));
        if (definition.MaxCompletionTimeMs > 0)
        {
            wakes.AddRange(S.Active.Where(r => r.Launched && r.StartedAt is not null && !_killSent.Contains(r.TaskId))
                .Select(r => r.StartedAt!.Value + TimeSpan.FromMilliseconds(definition.MaxCompletionTimeMs)));
        }

        await Root.Wake(Name, wakes.Count == 0 ? null : wakes.Min());
    }

    private List<DateTimeOffset> NextDue(int count)
    {
        var list = new List<DateTimeOffset>();
        if (S.Definition is not { } definition || Schedule(definition) is not { } schedule)
        {
            return list;
        }

        var after = Instant.FromDateTimeOffset(S.LastDue ?? Now());
        while (list.Count < count && schedule.NextAfter(after) is { } due)
        {
            list.Add(due.ToDateTimeOffset());
            after = due;
        }

        return list;
    }

    /// <summary>The parsed schedule (read again only when the definition's schedule changes).</summary>
    private JobSchedule? Schedule(JobDefinition definition)
    {
        if (definition.Schedule is not { } text)
        {
            return null;
        }

        var key = text + "|" + definition.ScheduleTimeZone;
        if (_scheduleOf != key)
        {
            // Saved definitions were read with their start filled in, so "now" plays no part here.
            _schedule = JobSchedule.Parse(text, definition.ScheduleTimeZone, Instant.FromDateTimeOffset(Now()));
            _scheduleOf = key;
        }

        return _schedule;
    }

    /// <summary>The job's epsilon (the reader refused any other; Chronos' minute stands in for one saved before it was checked).</summary>
    private static TimeSpan Epsilon(JobDefinition definition) => (JobEpsilon.Parse(definition.Epsilon) ?? Duration.FromSeconds(60)).ToTimeSpan();

    /// <summary>While runs are in progress, what they wait for is said again every interval (a lost message delays, never strands, a run).</summary>
    private void EnsureReconcile()
    {
        if (_reconcile is not null || S.Active.Count == 0)
        {
            return;
        }

        DelayDeactivation(TimeSpan.FromDays(1));
        _reconcile = this.RegisterGrainTimer(async _ =>
        {
            if (S.Active.Count == 0)
            {
                _reconcile?.Dispose();
                _reconcile = null;
                return;
            }

            await Resync();
        }, _options.ReconcileInterval, _options.ReconcileInterval);
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}
