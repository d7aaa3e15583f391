using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// Places tasks onto agents (or onto the agents of a set of offers): resources, host ports,
/// constraints and accepted roles, with a spread or bin-pack choice among feasible candidates.
/// <para>
/// Agents are visited in a seeded shuffled order from a per-group cursor that stays where the last
/// feasible agent was found, so a group's placements do not rescan the agents it already filled:
/// a placement looks at a few agents, not all of them. Only a failed placement scans every agent,
/// and it gives each one constant reason (<see cref="RejectSummary"/>).
/// </para>
/// Deterministic for a given input and <see cref="Random"/> seed; not thread-safe.
/// </summary>
public sealed class PlacementEngine
{
    private readonly AgentSlot[] _slots;
    private readonly Dictionary<string, AgentSlot> _byAgentId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldValues> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, sbyte[]> _valueVerdicts = new(StringComparer.Ordinal);
    private readonly PlacementOptions _options;
    private readonly Random _random;

    /// <summary>Builds an engine over <paramref name="agents"/> and what is available on each.</summary>
    public PlacementEngine(IEnumerable<(AgentDescriptor Agent, Res Available)> agents, Random random, PlacementOptions? options = null)
    {
        _random = random;
        _options = options ?? new PlacementOptions();
        if (_options.CandidateLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.CandidateLimit, "CandidateLimit must be at least 1");
        }

        var list = agents.ToArray();
        _random.Shuffle(list);
        _slots = new AgentSlot[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            var slot = new AgentSlot(i, list[i].Agent, list[i].Available);
            if (!_byAgentId.TryAdd(slot.Agent.AgentId, slot))
            {
                throw new ArgumentException($"agent '{slot.Agent.AgentId}' is given twice", nameof(agents));
            }

            _slots[i] = slot;
        }
    }

    /// <summary>The agents, in visiting order.</summary>
    public IEnumerable<AgentDescriptor> Agents => _slots.Select(s => s.Agent);

    /// <summary>What is still free on <paramref name="agentId"/>.</summary>
    public Res AvailableOn(string agentId) => _byAgentId[agentId].Free;

    /// <summary>Counts a task of <paramref name="groupId"/> that already runs on <paramref name="agent"/> (which need not be one of this engine's agents) for the constraints.</summary>
    public void AddExistingTask(string groupId, AgentDescriptor agent)
    {
        var group = GetGroup(groupId);
        group.Add(agent);
        foreach (var (field, distribution) in group.Distributions)
        {
            var id = _fields[field].IdOf(agent);
            if (id >= 0)
            {
                distribution.Increment(id);
            }
        }
    }

    /// <summary>A task of <paramref name="groupId"/> on <paramref name="agentId"/> ended: its resources are free again and constraints stop counting it.</summary>
    public void Release(string groupId, string agentId, Res resources)
    {
        if (_byAgentId.TryGetValue(agentId, out var slot))
        {
            // Freed resources can make the agent fit any group's tasks again.
            slot.Give(resources);
            foreach (var state in _groups.Values)
            {
                state.Restore(slot.Index);
            }
        }

        if (_groups.TryGetValue(groupId, out var group) && group.Remove(agentId) is { } agent)
        {
            // One task fewer can lift UNIQUE, MAX_PER or CLUSTER verdicts on other agents of the group.
            group.RestoreAll();
            foreach (var (field, distribution) in group.Distributions)
            {
                var id = _fields[field].IdOf(agent);
                if (id >= 0)
                {
                    distribution.Decrement(id);
                }
            }
        }
    }

    /// <summary>Places up to <paramref name="count"/> tasks of <paramref name="request"/>.</summary>
    public PlacementResult Place(TaskRequest request, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var group = GetGroup(request.GroupId);
        var signature = CandidateChecker.Signature(request);
        if (group.Signature != signature)
        {
            group.ResetLive(signature, _slots.Length, _random);
        }

        var checker = new CandidateChecker(request, Prepare(request, group));
        // Grown as instances are placed: what is asked for may be far more than what any offer can hold.
        var assignments = new List<Assignment>(Math.Min(count, 64));
        var candidates = new int[_options.CandidateLimit];
        for (var n = 0; n < count; n++)
        {
            var found = FindCandidates(group, checker, candidates);
            if (found == 0)
            {
                return new PlacementResult(assignments, count - n, ExplainRejections(checker));
            }

            var slot = Choose(candidates.AsSpan(0, found), checker.StandardDemand);
            if (_options.Strategy == PlacementStrategy.Spread)
            {
                // The next search starts one agent further, so a batch rotates over every agent instead of
                // comparing the same two (bin-packing stays on the agent it fills).
                group.Cursor++;
            }

            var taken = Allocate(slot.Free, request, checker);
            slot.Take(taken);
            group.Add(slot.Agent);
            foreach (var (field, distribution) in group.Tracked)
            {
                var id = field.SlotValue[slot.Index];
                if (id >= 0)
                {
                    distribution.Increment(id);
                }
            }

            assignments.Add(new Assignment(slot.Agent.AgentId, taken));
        }

        return new PlacementResult(assignments, 0, RejectSummary.None);
    }

    /// <summary>
    /// Scans the group's live agents once, from its cursor to the end and then from the start to the
    /// cursor, for up to CandidateLimit feasible ones. An agent failing a check only a release can
    /// undo leaves the live set (the last live agent takes its place). The cursor moves to the first found.
    /// </summary>
    private int FindCandidates(GroupState group, CandidateChecker checker, int[] candidates)
    {
        var found = 0;
        var start = group.Cursor < group.LiveCount ? group.Cursor : 0;

        // Cursor to end: an agent moved in by a drop comes from further on, not yet examined: look at it.
        var position = start;
        while (position < group.LiveCount && found < candidates.Length)
        {
            if (Examine(group, checker, position, candidates, ref found))
            {
                position++;
            }
        }

        // Start to cursor: an agent moved in from at or past the cursor was examined above: step over it.
        position = 0;
        while (position < start && position < group.LiveCount && found < candidates.Length)
        {
            if (Examine(group, checker, position, candidates, ref found) || group.LiveCount >= start)
            {
                position++;
            }
        }

        return found;
    }

    /// <summary>Judges the live agent at <paramref name="position"/>; false when it was dropped from the live set.</summary>
    private bool Examine(GroupState group, CandidateChecker checker, int position, int[] candidates, ref int found)
    {
        var slot = _slots[group.LiveAt(position)];
        if (checker.Reject(slot, out var lasting) is null)
        {
            if (found == 0)
            {
                group.Cursor = position;
            }

            candidates[found++] = slot.Index;
            return true;
        }

        if (lasting)
        {
            group.DropAt(position);
            return false;
        }

        return true;
    }

    private AgentSlot Choose(ReadOnlySpan<int> candidates, long[] demand)
    {
        var best = _slots[candidates[0]];
        if (candidates.Length == 1)
        {
            return best;
        }

        var bestScore = best.UtilizationWith(demand);
        for (var i = 1; i < candidates.Length; i++)
        {
            var slot = _slots[candidates[i]];
            var score = slot.UtilizationWith(demand);
            var better = _options.Strategy == PlacementStrategy.Spread ? score < bestScore : score > bestScore;
            if (better)
            {
                (best, bestScore) = (slot, score);
            }
        }

        return best;
    }

    private RejectSummary ExplainRejections(CandidateChecker checker)
    {
        var summary = new RejectSummary();
        foreach (var slot in _slots)
        {
            if (checker.Reject(slot, out _) is { } reason)
            {
                summary.Add(reason);
            }
        }

        return summary;
    }

    /// <summary>Takes the demand from <paramref name="free"/>: reserved accepted roles first, then unreserved; ports lowest first.</summary>
    private static Res Allocate(Res free, TaskRequest request, CandidateChecker checker)
    {
        var roles = checker.Roles;
        var taken = new List<Resource>(request.Demand.Count + 2);
        foreach (var demand in request.Demand)
        {
            var remaining = demand.Scalar;
            foreach (var role in roles)
            {
                var take = Min(free.ScalarOf(demand.Name, role), remaining);
                if (!take.IsZero)
                {
                    taken.Add(Resource.OfScalar(demand.Name, take, role));
                    remaining -= take;
                }
            }
        }

        foreach (var port in request.RequiredPorts)
        {
            var role = roles.First(r => free.RangesOf(Res.Ports, r).Contains(port));
            taken.Add(Resource.OfRanges(Res.Ports, ValueRanges.Of(port, port), role));
        }

        var portsLeft = (ulong)request.PortCount;
        var required = checker.RequiredPorts;
        foreach (var role in roles)
        {
            if (portsLeft == 0)
            {
                break;
            }

            var ranges = required.IsEmpty ? free.RangesOf(Res.Ports, role) : free.RangesOf(Res.Ports, role).Subtract(required);
            var take = ranges.TakeLowest(Math.Min(portsLeft, ranges.Count))!;
            if (!take.IsEmpty)
            {
                taken.Add(Resource.OfRanges(Res.Ports, take, role));
                portsLeft -= take.Count;
            }
        }

        return Res.From(taken);
    }

    internal static IReadOnlyList<string> RolePreference(TaskRequest request) =>
        [.. request.AcceptedRoles.Where(r => r != Resource.AnyRole), .. request.AcceptedRoles.Where(r => r == Resource.AnyRole).Take(1)];

    private static Scalar Min(Scalar a, Scalar b) => a <= b ? a : b;

    private PreparedConstraint[] Prepare(TaskRequest request, GroupState group)
    {
        var prepared = new PreparedConstraint[request.Constraints.Count];
        for (var i = 0; i < prepared.Length; i++)
        {
            var constraint = request.Constraints[i];
            var field = GetField(constraint.Field);
            ValueDistribution? distribution = null;
            sbyte[]? verdicts = null;
            if (constraint.DependsOnPlacedTasks)
            {
                distribution = GetDistribution(group, field);
                distribution.EnsureKnown(field.Count);
            }
            else
            {
                verdicts = GetVerdicts(constraint, field);
            }

            prepared[i] = new PreparedConstraint(constraint, field, distribution, verdicts);
        }

        return prepared;
    }

    private GroupState GetGroup(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            group = new GroupState();
            _groups.Add(groupId, group);
        }

        return group;
    }

    private FieldValues GetField(string field)
    {
        if (!_fields.TryGetValue(field, out var values))
        {
            values = new FieldValues(field, _slots);
            _fields.Add(field, values);
        }

        return values;
    }

    private ValueDistribution GetDistribution(GroupState group, FieldValues field)
    {
        if (!group.Distributions.TryGetValue(field.Field, out var distribution))
        {
            distribution = new ValueDistribution();
            foreach (var (agent, tasks) in group.PlacedOn.Values)
            {
                var id = field.IdOf(agent);
                for (var t = 0; id >= 0 && t < tasks; t++)
                {
                    distribution.Increment(id);
                }
            }

            group.Distributions.Add(field.Field, distribution);
            group.Tracked.Add((field, distribution));
        }

        return distribution;
    }

    private sbyte[] GetVerdicts(Constraint constraint, FieldValues field)
    {
        var key = constraint.ToString();
        if (!_valueVerdicts.TryGetValue(key, out var verdicts) || verdicts.Length < field.Count)
        {
            var grown = new sbyte[field.Count];
            verdicts?.CopyTo(grown, 0);
            _valueVerdicts[key] = verdicts = grown;
        }

        return verdicts;
    }
}
