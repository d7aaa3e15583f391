using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Frameworks;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>The framework's calls on its stream: ACCEPT, DECLINE, SUPPRESS, REVIVE, KILL, ACKNOWLEDGE, RECONCILE, TEARDOWN.</summary>
internal sealed partial class FrameworkGrain
{
    /// <inheritdoc />
    public async Task<string?> Accept(Guid streamId, AcceptCall call)
    {
        CheckStream(streamId);
        if (call.OfferIds.Count == 0)
        {
            throw new MasterValidationException("ACCEPT needs at least one offer id");
        }

        var offers = call.OfferIds.Distinct().Select(id => _offers.GetValueOrDefault(id)).ToArray();
        var offersValid = offers.All(o => o is not null) && offers.Select(o => o!.AgentId).Distinct().Count() == 1;
        var agentId = offersValid ? offers[0]!.AgentId : null;
        if (call.Operations.FirstOrDefault(o => o.Type is not (OfferOperationTypes.Launch or OfferOperationTypes.LaunchGroup) && o.AsConversion() is null) is { } unsupported)
        {
            throw new MasterValidationException($"operation {unsupported.Type} is not supported (LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE and DESTROY are)");
        }

        // Conversions come first (Marathon and the SDKs put them before the launches that use them).
        var conversions = call.Operations.Where(o => o.AsConversion() is not null).ToArray();
        var launchOperations = call.Operations.Where(o => o.AsConversion() is null).ToArray();
        // What the offers hold, by the role they were made for (in the call's order), after the conversions.
        var offered = offersValid ? offers.GroupBy(o => o!.Role, StringComparer.Ordinal)
            .Select(g => (Role: g.Key, Offered: g.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o!.Resources)))).ToList() : null;
        string? conversionProblem = null;
        if (offered is not null && conversions.Length > 0)
        {
            conversionProblem = ConversionProblem(conversions);
            try
            {
                foreach (var conversion in conversionProblem is null ? conversions.Select(c => c.AsConversion()!) : [])
                {
                    var roles = conversion.Resources.Roles.ToArray();
                    var at = roles.Length == 1 ? offered.FindIndex(o => o.Role == roles[0]) : -1;
                    if (at < 0)
                    {
                        throw new ResourceOperationException($"{conversion.Type} of {conversion.Resources}: one operation is for one role, and an offer must be for it");
                    }

                    offered[at] = (offered[at].Role, conversion.Apply(offered[at].Offered));
                }
            }
            catch (ResourceOperationException ex)
            {
                conversionProblem = ex.Message;
            }
        }

        var verdict = AcceptValidator.Validate(
            launchOperations.Select(o => new LaunchOperation(o.Type == OfferOperationTypes.LaunchGroup, o.Tasks.Select(t => new LaunchRequest(t.TaskId, t.Command is not null || t.Docker is not null, t.Resources)).ToArray())).ToArray(),
            offered,
            id => _tasks.TryGetValue(id, out var known) && !known.State.IsTerminal());
        var rejected = verdict.Refused.Select(r => Update(r.TaskId, TaskState.TASK_ERROR, TaskReasons.TaskInvalid, r.Reason)).ToList();
        var groupIds = launchOperations.Select(o => o.Type == OfferOperationTypes.LaunchGroup ? $"group-{Guid.NewGuid():N}" : null).ToArray();
        var launches = verdict.Launch.Select((at, i) => Launchable(at, verdict.Roles[i])).ToList(); // Roles is parallel to Launch
        TaskSpec Launchable((int Operation, int Task) at, string allocatedTo)
        {
            var task = launchOperations[at.Operation].Tasks[at.Task];
            return task with { FrameworkId = FrameworkId, Role = allocatedTo, GroupId = groupIds[at.Operation] ?? task.GroupId };
        }

        string? problem = offersValid ? conversionProblem : "offers are no longer valid or are on different agents";
        if (problem is null)
        {
            problem = await Allocator.Accept(FrameworkId, call.OfferIds, verdict.UsedByRole, call.Refuse, conversions);
        }
        else
        {
            await Allocator.Decline(FrameworkId, call.OfferIds, call.Refuse);
        }

        foreach (var id in call.OfferIds)
        {
            _offers.Remove(id);
        }

        MasterLog.FrameworkAccept(logger, FrameworkId, call.OfferIds, launches.Count, agentId, problem ?? "ok");
        if (problem is not null)
        {
            rejected.AddRange(launches.Select(t => Update(t.TaskId, TaskState.TASK_DROPPED, TaskReasons.InvalidOffers, problem)));
            launches.Clear();
            if (conversions.Length > 0)
            {
                MasterLog.ConversionsRefused(logger, FrameworkId, string.Join(", ", conversions.Select(c => c.Type)), problem);
            }
        }
        else if (conversions.Length > 0)
        {
            // The agent keeps them (and makes the volumes) before the launches that use them reach it.
            await GrainFactory.GetGrain<IAgentGrain>(agentId!).Convert(conversions);
        }

        foreach (var task in launches)
        {
            _tasks[task.TaskId] = new FrameworkTask(task.TaskId, agentId!, TaskState.TASK_STAGING);
        }

        if (launches.Count > 0)
        {
            await GrainFactory.GetGrain<IAgentGrain>(agentId!).Launch(FrameworkId, launches);
        }

        PublishAndQueue(rejected, agentId ?? "");
        return problem;
    }

    /// <summary>
    /// Why the framework may not make these conversions, or null: reservations and volumes are for one of its roles,
    /// made by its own principal (when it has one).
    /// </summary>
    private string? ConversionProblem(IEnumerable<OfferOperation> conversions)
    {
        var info = state.State.Info!;
        foreach (var resource in conversions.SelectMany(c => c.Resources ?? Resources.Empty))
        {
            if (!info.EffectiveRoles.Contains(resource.Role))
            {
                return $"{resource}: the framework is not subscribed to role '{resource.Role}'";
            }

            var principal = resource.Reservation?.Principal ?? resource.Volume?.Principal;
            if (info.Principal is { Length: > 0 } own && principal is { Length: > 0 } && principal != own)
            {
                return $"{resource}: made by principal '{principal}', but the framework's principal is '{own}'";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task Decline(Guid streamId, IReadOnlyList<string> offerIds, TimeSpan? refuse)
    {
        CheckStream(streamId);
        foreach (var id in offerIds)
        {
            _offers.Remove(id);
        }

        await Allocator.Decline(FrameworkId, offerIds, refuse);
    }

    /// <inheritdoc />
    public async Task Suppress(Guid streamId, IReadOnlyList<string>? roles)
    {
        CheckStream(streamId);
        _suppressed = roles is null || roles.Count == 0 || _suppressed;
        await Allocator.Suppress(FrameworkId, roles is { Count: > 0 } ? roles : null);
    }

    /// <inheritdoc />
    public async Task Revive(Guid streamId, IReadOnlyList<string>? roles)
    {
        CheckStream(streamId);
        _suppressed = _suppressed && roles is { Count: > 0 };
        await Allocator.Revive(FrameworkId, roles is { Count: > 0 } ? roles : null);
    }

    /// <inheritdoc />
    public async Task Kill(Guid streamId, string taskId, string? agentId, TimeSpan? gracePeriod)
    {
        CheckStream(streamId);
        var where = _tasks.TryGetValue(taskId, out var known) ? known.AgentId : agentId;
        if (where is null)
        {
            PublishAndQueue([Update(taskId, UnknownState, TaskReasons.Reconciliation, "the master does not know this task")], "");
            return;
        }

        switch (await GrainFactory.GetGrain<IAgentGrain>(where).Kill(FrameworkId, taskId, gracePeriod))
        {
            case KillAnswer.Unknown:
                PublishAndQueue([Update(taskId, UnknownState, TaskReasons.Reconciliation, $"agent {where} does not run this task")], where);
                break;
            case KillAnswer.Unreachable:
                // As Mesos: the task may be alive on the far side of a partition; the framework decides.
                PublishAndQueue([Update(taskId, UnreachableState, TaskReasons.AgentDisconnected, $"agent {where} is unreachable: the kill waits for it to come back")], where);
                break;
        }
    }

    /// <inheritdoc />
    public async Task Acknowledge(Guid streamId, string agentId, string taskId, Guid uuid)
    {
        CheckStream(streamId);
        Acknowledged(taskId, uuid);
        await GrainFactory.GetGrain<IAgentGrain>(agentId).Acknowledge(FrameworkId, taskId, uuid);
    }

    /// <inheritdoc />
    public async Task AcknowledgeAll(Guid streamId, IReadOnlyList<TaskStatusEvent> updates)
    {
        CheckStream(streamId);
        foreach (var update in updates)
        {
            Acknowledged(update.Status.TaskId, update.Status.Uuid);
        }

        // Each agent takes its acks in order; agents are told in parallel.
        await Task.WhenAll(updates.GroupBy(u => u.AgentId).Select(async byAgent =>
        {
            var agent = GrainFactory.GetGrain<IAgentGrain>(byAgent.Key);
            foreach (var update in byAgent)
            {
                await agent.Acknowledge(FrameworkId, update.Status.TaskId, update.Status.Uuid);
            }
        }));
    }

    private void Acknowledged(string taskId, Guid uuid)
    {
        if (_unacked.TryGetValue(taskId, out var pending) && pending.Status.Uuid == uuid)
        {
            _unacked.Remove(taskId);
            if (pending.Status.State.IsTerminal())
            {
                _tasks.Remove(taskId);
            }
        }
    }

    /// <inheritdoc />
    public async Task Reconcile(Guid streamId, IReadOnlyList<ReconcileTask> tasks)
    {
        CheckStream(streamId);
        if (tasks.Count == 0 || tasks.Any(t => !_tasks.ContainsKey(t.TaskId) && t.AgentId is null))
        {
            await CompleteIndexAsync();
        }

        // Ask each agent once for the tasks it holds; answer every task named (or every task known).
        var wanted = tasks.Count == 0
            ? _tasks.Values.Select(t => new ReconcileTask(t.TaskId, t.AgentId)).ToArray()
            : tasks.Select(t => new ReconcileTask(t.TaskId, _tasks.GetValueOrDefault(t.TaskId)?.AgentId ?? t.AgentId)).ToArray();
        var answers = new List<TaskStatusEvent>();
        foreach (var byAgent in wanted.GroupBy(t => t.AgentId ?? ""))
        {
            var found = byAgent.Key.Length == 0
                ? []
                : await GrainFactory.GetGrain<IAgentGrain>(byAgent.Key).Tasks(FrameworkId, byAgent.Select(t => t.TaskId).ToArray());
            if (found is null)
            {
                continue; // a transitioning agent: no answer now; the framework reconciles again later
            }

            var byId = found.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
            foreach (var task in byAgent)
            {
                var status = byId.TryGetValue(task.TaskId, out var agentTask)
                    ? new TaskStatusUpdate(task.TaskId, FrameworkId, agentTask.State, Guid.Empty, Timestamp(), TaskReasons.Reconciliation, agentTask.Message, agentTask.Healthy)
                    : Update(task.TaskId, UnknownState, TaskReasons.Reconciliation, "the master does not know this task");
                answers.Add(new TaskStatusEvent(byAgent.Key, status, MasterStreams.SourceMaster));
            }
        }

        foreach (var answer in answers)
        {
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(answer)));
        }
    }

    /// <inheritdoc />
    public async Task Teardown(Guid streamId)
    {
        CheckStream(streamId);
        await RemoveAsync("the framework tore itself down");
    }
}
