using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>
/// Mesos' hierarchical allocator as pure code: keeps every agent's total = free + offered + used,
/// and in each <see cref="Allocate"/> cycle turns free resources into offers by weighted DRF —
/// roles ordered by weighted dominant share, frameworks within a role by theirs — after first
/// satisfying quota guarantees (stage 1) and while holding back the headroom that unmet guarantees
/// still need (stage 2). Honors offer filters (refuse_seconds), suppress/revive, quota limits,
/// reservations, offer timeouts, and never offers a resource twice.
/// Deterministic given its <see cref="TimeProvider"/> and <see cref="Random"/>; not thread-safe
/// (its grain owns it).
/// </summary>
public sealed class Allocator
{
    private readonly AllocatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly string _offerIdPrefix;
    private readonly Dictionary<string, AgentState> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FrameworkState> _frameworks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleState> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Offer> _offers = new(StringComparer.Ordinal);
    private readonly long[] _total = new long[ScalarVector.Length];
    private long _offerSequence;

    /// <summary>Creates an empty allocator.</summary>
    public Allocator(AllocatorOptions options, TimeProvider time, Random random, string offerIdPrefix = "offer")
    {
        options.Validate();
        _options = options;
        _time = time;
        _random = random;
        _offerIdPrefix = offerIdPrefix;
    }

    /// <summary>Outstanding offers.</summary>
    public IReadOnlyCollection<Offer> Offers => _offers.Values;

    /// <summary>Known agents.</summary>
    public int AgentCount => _agents.Count;

    /// <summary>True when the agent is known.</summary>
    public bool HasAgent(string agentId) => _agents.ContainsKey(agentId);

    /// <summary>True when the framework is known.</summary>
    public bool HasFramework(string frameworkId) => _frameworks.ContainsKey(frameworkId);

    /// <summary>The outstanding offer <paramref name="offerId"/>, or null.</summary>
    public Offer? FindOffer(string offerId) => _offers.GetValueOrDefault(offerId);

    /// <summary>Known agent ids.</summary>
    public IEnumerable<string> AgentIds => _agents.Keys;

    /// <summary>Known framework ids.</summary>
    public IEnumerable<string> FrameworkIds => _frameworks.Keys;

    /// <summary>Known roles.</summary>
    public IEnumerable<string> RoleNames => _roles.Keys;

    // ------------------------------------------------------------------ agents

    /// <summary>Adds an agent; <paramref name="used"/> lists what its running tasks already hold (after a failover the view is rebuilt this way).</summary>
    public void AddAgent(AgentDescriptor agent, Res total, IEnumerable<(string FrameworkId, string Role, Res Resources)>? used = null)
    {
        if (_agents.ContainsKey(agent.AgentId))
        {
            throw new InvalidOperationException($"agent '{agent.AgentId}' is already known");
        }

        var state = new AgentState(agent, total);
        foreach (var (frameworkId, role, resources) in used ?? [])
        {
            state.Free = state.Free.Minus(resources);
            state.Used[(frameworkId, role)] = state.Used.GetValueOrDefault((frameworkId, role), Res.Empty).Plus(resources);
            if (ClientOf(frameworkId, role) is { } client)
            {
                Charge(client, resources, +1);
            }
        }

        _agents.Add(agent.AgentId, state);
        ScalarVector.AddTo(_total, total, +1);
        AccountReservations(total, +1);
    }

    /// <summary>Removes an agent (gone or unreachable); returns the offers rescinded on it.</summary>
    public IReadOnlyList<Offer> RemoveAgent(string agentId)
    {
        var agent = Agent(agentId);
        var rescinded = RescindAll(agent.Offers.Values.ToArray());
        foreach (var ((frameworkId, role), resources) in agent.Used)
        {
            if (ClientOf(frameworkId, role) is { } client)
            {
                Charge(client, resources, -1);
            }
        }

        _agents.Remove(agentId);
        ScalarVector.AddTo(_total, agent.Total, -1);
        AccountReservations(agent.Total, -1);
        foreach (var framework in _frameworks.Values)
        {
            foreach (var key in framework.Filters.Keys.Where(k => k.Agent == agentId).ToArray())
            {
                framework.Filters.Remove(key);
            }
        }

        return rescinded;
    }

    /// <summary>Stops (draining, maintenance) or resumes offering an agent; stopping rescinds its outstanding offers.</summary>
    public IReadOnlyList<Offer> SetAgentActive(string agentId, bool active)
    {
        var agent = Agent(agentId);
        agent.Active = active;
        return active ? [] : RescindAll(agent.Offers.Values.ToArray());
    }

    /// <summary>What an agent has: total, free, offered and used (total = free + offered + used).</summary>
    public AgentAllocation DescribeAgent(string agentId)
    {
        var agent = Agent(agentId);
        var offered = agent.Offers.Values.Aggregate(Res.Empty, (sum, offer) => sum.Plus(offer.Resources));
        var used = agent.Used.Values.Aggregate(Res.Empty, (sum, resources) => sum.Plus(resources));
        return new AgentAllocation(agent.Total, agent.Free, offered, used, agent.Active);
    }

    // ------------------------------------------------------------------ frameworks, roles

    /// <summary>
    /// Adds a framework subscribed to <paramref name="roles"/> (<c>*</c> when it names none); only a
    /// <paramref name="gpuAware"/> one (GPU_RESOURCES) is offered agents that have GPUs.
    /// </summary>
    public void AddFramework(string frameworkId, IReadOnlyCollection<string> roles, bool gpuAware = false)
    {
        if (_frameworks.ContainsKey(frameworkId))
        {
            throw new InvalidOperationException($"framework '{frameworkId}' is already known");
        }

        var framework = new FrameworkState(frameworkId) { GpuAware = gpuAware };
        _frameworks.Add(frameworkId, framework);
        foreach (var roleName in roles.Count == 0 ? [Resource.AnyRole] : roles.Distinct())
        {
            var role = Role(roleName);
            var client = new ClientState(framework, role);
            framework.Clients.Add(roleName, client);
            role.Clients.Add(client);
        }

        // Tasks that kept running while the framework was away (failover) count again.
        foreach (var agent in _agents.Values)
        {
            foreach (var ((owner, roleName), resources) in agent.Used)
            {
                if (owner == frameworkId && framework.Clients.TryGetValue(roleName, out var client))
                {
                    Charge(client, resources, +1);
                }
            }
        }
    }

    /// <summary>
    /// A framework subscribed again with other roles (Mesos allows a MULTI_ROLE framework this): it is offered for the
    /// new ones from now on; offers for roles it left are rescinded and returned. Tasks keep their role.
    /// </summary>
    public IReadOnlyList<Offer> UpdateFrameworkRoles(string frameworkId, IReadOnlyCollection<string> roles, bool? gpuAware = null)
    {
        var framework = Framework(frameworkId);
        framework.GpuAware = gpuAware ?? framework.GpuAware;
        var wanted = (roles.Count == 0 ? [Resource.AnyRole] : roles).ToHashSet(StringComparer.Ordinal);
        var left = framework.Clients.Keys.Where(r => !wanted.Contains(r)).ToArray();
        var rescinded = RescindAll(_offers.Values.Where(o => o.FrameworkId == frameworkId && left.Contains(o.Role)).ToArray());
        foreach (var roleName in left)
        {
            var client = framework.Clients[roleName];
            foreach (var agent in _agents.Values)
            {
                if (agent.Used.TryGetValue((frameworkId, roleName), out var used))
                {
                    Charge(client, used, -1);
                }
            }

            client.Role.Clients.Remove(client);
            framework.Clients.Remove(roleName);
        }

        foreach (var roleName in wanted.Where(r => !framework.Clients.ContainsKey(r)))
        {
            var client = new ClientState(framework, Role(roleName));
            framework.Clients.Add(roleName, client);
            client.Role.Clients.Add(client);
            foreach (var agent in _agents.Values)
            {
                if (agent.Used.TryGetValue((frameworkId, roleName), out var used))
                {
                    Charge(client, used, +1);
                }
            }
        }

        return rescinded;
    }

    /// <summary>Removes a framework (teardown): rescinds its offers and frees what its tasks used.</summary>
    public IReadOnlyList<Offer> RemoveFramework(string frameworkId)
    {
        var framework = Framework(frameworkId);
        var rescinded = RescindAll(_offers.Values.Where(o => o.FrameworkId == frameworkId).ToArray());
        foreach (var agent in _agents.Values)
        {
            foreach (var key in agent.Used.Keys.Where(k => k.Framework == frameworkId).ToArray())
            {
                Recover(agent.Id, frameworkId, key.Role, agent.Used[key]);
            }
        }

        foreach (var client in framework.Clients.Values)
        {
            client.Role.Clients.Remove(client);
        }

        _frameworks.Remove(frameworkId);
        return rescinded;
    }

    /// <summary>Takes back every outstanding offer of the framework without filtering (it went away or must start afresh).</summary>
    public IReadOnlyList<Offer> RescindOffersOf(string frameworkId) =>
        RescindAll(_offers.Values.Where(o => o.FrameworkId == frameworkId).ToArray());

    /// <summary>Stops offers to the framework for <paramref name="roles"/> (all its roles when null).</summary>
    public void Suppress(string frameworkId, IEnumerable<string>? roles = null) => SetSuppressed(frameworkId, roles, true);

    /// <summary>Resumes offers for <paramref name="roles"/> (all when null) and clears the framework's filters.</summary>
    public void Revive(string frameworkId, IEnumerable<string>? roles = null)
    {
        SetSuppressed(frameworkId, roles, false);
        Framework(frameworkId).Filters.Clear();
    }

    /// <summary>Resumes offers for <paramref name="roles"/> (all when null) keeping the framework's filters (a reconnect, not a REVIVE).</summary>
    public void Unsuppress(string frameworkId, IEnumerable<string>? roles = null) => SetSuppressed(frameworkId, roles, false);

    /// <summary>Sets a role's weight (default 1): a role of weight 3 gets three times the dominant share of a role of weight 1.</summary>
    public void SetWeight(string role, double weight)
    {
        if (!(weight > 0) || double.IsInfinity(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"weight of role '{role}' must be a positive number");
        }

        Role(role).Weight = weight;
    }

    /// <summary>Sets a role's quota (scalars only).</summary>
    public void SetQuota(string role, RoleQuota quota)
    {
        if (quota.Guarantee.Concat(quota.Limit).Any(r => r.Kind != ResourceKind.Scalar || !r.IsUnreserved))
        {
            throw new ArgumentException($"quota of role '{role}' may name only unreserved scalar resources", nameof(quota));
        }

        var state = Role(role);
        state.Quota = quota;
        state.GuaranteeVector = ScalarVector.Of(quota.Guarantee);
        state.LimitVector = RoleState.Unlimited();
        for (var i = 0; i < ScalarVector.Length; i++)
        {
            if (quota.Limit.Any(r => r.Name == ScalarVector.Names[i]))
            {
                state.LimitVector[i] = quota.Limit.ScalarTotal(ScalarVector.Names[i]).Millis;
            }
        }
    }

    /// <summary>The weighted dominant share of a role.</summary>
    public double RoleShare(string role) => _roles.TryGetValue(role, out var state) ? Share(state.Allocated) / state.Weight : 0;

    /// <summary>The dominant share of a framework within one role (over all its roles when null).</summary>
    public double FrameworkShare(string frameworkId, string? role = null)
    {
        var framework = Framework(frameworkId);
        var allocated = new long[ScalarVector.Length];
        foreach (var client in framework.Clients.Values.Where(c => role is null || c.Role.Name == role))
        {
            for (var i = 0; i < allocated.Length; i++)
            {
                allocated[i] += client.Allocated[i];
            }
        }

        return Share(allocated);
    }

    // ------------------------------------------------------------------ offers

    /// <summary>One allocation cycle: the new offers, each of an agent's free resources to one framework role.</summary>
    public IReadOnlyList<Offer> Allocate()
    {
        var now = _time.GetUtcNow();
        var roles = _roles.Values.Where(r => r.Clients.Any(c => !c.Suppressed)).ToArray();
        var agents = _agents.Values.Where(a => a.Active && !a.Free.IsEmpty).ToArray();
        var offers = new List<Offer>();
        if (roles.Length == 0 || agents.Length == 0)
        {
            return offers;
        }

        RefreshShares(roles);
        _random.Shuffle(agents);
        var cycle = new AllocationCycle(this, roles, _roles.Values, now, offers);
        cycle.SatisfyGuarantees(agents);
        cycle.ShareFairly(agents);
        return offers;
    }

    /// <summary>
    /// The framework uses <paramref name="used"/> (launching tasks); the rest of the offer is free
    /// again and, when <paramref name="refuse"/> (default <see cref="AllocatorOptions.DefaultRefuse"/>)
    /// is positive, not offered to this framework again from that agent until it passes.
    /// </summary>
    public void Accept(string offerId, Res used, TimeSpan? refuse = null)
    {
        var offer = _offers.GetValueOrDefault(offerId) ?? throw new OfferNotFoundException(offerId);
        if (!offer.Resources.Contains(used))
        {
            throw new InvalidOperationException($"offer '{offerId}' holds {offer.Resources}; it cannot cover {used}");
        }

        var agent = RemoveOffer(offer);
        var key = (offer.FrameworkId, offer.Role);
        agent.Used[key] = agent.Used.GetValueOrDefault(key, Res.Empty).Plus(used);
        var leftover = offer.Resources.Minus(used);
        Return(agent, offer, leftover);
        if (!leftover.IsEmpty)
        {
            Filter(offer, refuse ?? _options.DefaultRefuse);
        }
    }

    /// <summary>The framework declines the whole offer; filtered as for <see cref="Accept"/>.</summary>
    public void Decline(string offerId, TimeSpan? refuse = null)
    {
        var offer = _offers.GetValueOrDefault(offerId) ?? throw new OfferNotFoundException(offerId);
        Return(RemoveOffer(offer), offer, offer.Resources);
        Filter(offer, refuse ?? _options.DefaultRefuse);
    }

    /// <summary>Rescinds offers older than <see cref="AllocatorOptions.OfferTimeout"/>; returns them.</summary>
    public IReadOnlyList<Offer> ExpireOffers()
    {
        if (_options.OfferTimeout <= TimeSpan.Zero)
        {
            return [];
        }

        var deadline = _time.GetUtcNow() - _options.OfferTimeout;
        return RescindAll(_offers.Values.Where(o => o.CreatedAt <= deadline).ToArray());
    }

    /// <summary>A task ended: what it used on the agent is free again.</summary>
    public void Recover(string agentId, string frameworkId, string role, Res resources)
    {
        var agent = Agent(agentId);
        var key = (frameworkId, role);
        var used = agent.Used.GetValueOrDefault(key, Res.Empty);
        if (!used.Contains(resources))
        {
            throw new InvalidOperationException($"framework '{frameworkId}' ({role}) uses {used} on agent '{agentId}'; it cannot give back {resources}");
        }

        var left = used.Minus(resources);
        if (left.IsEmpty)
        {
            agent.Used.Remove(key);
        }
        else
        {
            agent.Used[key] = left;
        }

        agent.Free = agent.Free.Plus(resources);
        if (ClientOf(frameworkId, role) is { } client)
        {
            Charge(client, resources, -1);
        }
    }

    // ------------------------------------------------------------------ reservations and volumes

    /// <summary>
    /// An ACCEPT's RESERVE, UNRESERVE, CREATE and DESTROY, in order, on the offers <paramref name="offerIds"/> of one
    /// agent and on the agent's total; all or none. Each operation names resources of one role and applies to the
    /// offers made for that role (merged into one, as Mesos requires a reservation to be for the offer's allocation
    /// role). Returns the offers as they are now, which the launches of the same ACCEPT then use.
    /// </summary>
    /// <exception cref="OfferNotFoundException">An offer is not outstanding.</exception>
    /// <exception cref="ResourceOperationException">An operation cannot be applied; nothing changed.</exception>
    public IReadOnlyList<Offer> Convert(IReadOnlyList<string> offerIds, IReadOnlyList<ResourceOperation> operations)
    {
        var offers = offerIds.Distinct().Select(id => _offers.GetValueOrDefault(id) ?? throw new OfferNotFoundException(id)).ToArray();
        if (offers.Length == 0 || offers.Any(o => o.AgentId != offers[0].AgentId || o.FrameworkId != offers[0].FrameworkId))
        {
            throw new ResourceOperationException("the offers must be of one agent and framework");
        }

        var agent = _agents[offers[0].AgentId];
        var total = agent.Total;
        var converted = new Dictionary<string, Res>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            var role = RoleOf(operation);
            if (!converted.TryGetValue(role, out var offered))
            {
                var ofRole = offers.Where(o => o.Role == role).ToArray();
                offered = ofRole.Length > 0 ? ofRole.Aggregate(Res.Empty, (sum, o) => sum.Plus(o.Resources))
                    : throw new ResourceOperationException($"{operation.Type} of {operation.Resources}: none of the offers is for role '{role}'");
            }

            converted[role] = operation.Apply(offered);
            total = operation.Apply(total);
        }

        var result = offers.Where(o => !converted.ContainsKey(o.Role)).ToList();
        foreach (var (role, resources) in converted)
        {
            var ofRole = offers.Where(o => o.Role == role).ToArray();
            foreach (var offer in ofRole)
            {
                RemoveOffer(offer);
            }

            var merged = ofRole[0] with { Resources = resources };
            agent.Offers.Add(merged.OfferId, merged);
            _offers.Add(merged.OfferId, merged);
            if (ClientOf(merged.FrameworkId, role) is { } client)
            {
                Charge(client, ofRole.Aggregate(Res.Empty, (sum, o) => sum.Plus(o.Resources)), -1);
                Charge(client, resources, +1);
            }

            result.Add(merged);
        }

        SetTotal(agent, total);
        return result;
    }

    /// <summary>
    /// An operator's RESERVE, UNRESERVE, CREATE or DESTROY on the agent's unallocated resources (Mesos'
    /// <c>/master/reserve</c>): outstanding offers on the agent are rescinded when the free part alone does not hold what
    /// the operations consume. Returns the rescinded offers.
    /// </summary>
    /// <exception cref="ResourceOperationException">The operations cannot be applied to what is not used by tasks; nothing changed (no offer rescinded).</exception>
    public IReadOnlyList<Offer> ConvertUnallocated(string agentId, IReadOnlyList<ResourceOperation> operations)
    {
        var agent = Agent(agentId);
        var offered = agent.Offers.Values.Aggregate(Res.Empty, (sum, o) => sum.Plus(o.Resources));
        bool Fits(Res from)
        {
            try
            {
                operations.Aggregate(from, (r, op) => op.Apply(r));
                return true;
            }
            catch (ResourceOperationException)
            {
                return false;
            }
        }

        var rescind = !Fits(agent.Free);
        var free = operations.Aggregate(rescind ? agent.Free.Plus(offered) : agent.Free, (r, op) => op.Apply(r));
        var total = operations.Aggregate(agent.Total, (r, op) => op.Apply(r));
        var rescinded = rescind ? RescindAll(agent.Offers.Values.ToArray()) : [];
        agent.Free = free;
        SetTotal(agent, total);
        return rescinded;
    }

    /// <summary>The one role the operation's resources are of.</summary>
    private static string RoleOf(ResourceOperation operation)
    {
        var roles = operation.Resources.Roles.ToArray();
        return roles.Length == 1 ? roles[0] : throw new ResourceOperationException($"{operation.Type} names resources of {roles.Length} roles ({string.Join(", ", roles)}); one operation is for one role");
    }

    private void SetTotal(AgentState agent, Res total)
    {
        AccountReservations(agent.Total, -1);
        agent.Total = total;
        AccountReservations(total, +1);
    }

    /// <summary>Adds (or takes away) what <paramref name="total"/> reserves for each role to the role's reserved vector.</summary>
    private void AccountReservations(Res total, int sign)
    {
        foreach (var role in total.Roles)
        {
            if (role != Resource.AnyRole)
            {
                ScalarVector.AddTo(Role(role).Reserved, total.ForRoles([role]), sign);
            }
        }
    }

    // ------------------------------------------------------------------ internals used by AllocationCycle

    internal AllocatorOptions Options => _options;

    internal long[] Total => _total;

    internal Offer MakeOffer(ClientState client, AgentState agent, Res resources, DateTimeOffset now)
    {
        var offer = new Offer($"{_offerIdPrefix}-{++_offerSequence}", client.Framework.Id, client.Role.Name, agent.Descriptor, resources, now);
        agent.Free = agent.Free.Minus(resources);
        agent.Offers.Add(offer.OfferId, offer);
        _offers.Add(offer.OfferId, offer);
        Charge(client, resources, +1);
        return offer;
    }

    internal double Share(long[] allocated) => ScalarVector.DominantShare(allocated, _total);

    private void Charge(ClientState client, Res resources, int sign)
    {
        var vector = ScalarVector.Of(resources);
        for (var i = 0; i < vector.Length; i++)
        {
            client.Allocated[i] += sign * vector[i];
            client.Role.Allocated[i] += sign * vector[i];
        }

        ScalarVector.AddUnreservedTo(client.Role.AllocatedUnreserved, resources, sign);

        client.Share = Share(client.Allocated);
        client.Role.Share = Share(client.Role.Allocated) / client.Role.Weight;
    }

    private void RefreshShares(IEnumerable<RoleState> roles)
    {
        foreach (var role in roles)
        {
            role.Share = Share(role.Allocated) / role.Weight;
            foreach (var client in role.Clients)
            {
                client.Share = Share(client.Allocated);
            }
        }
    }

    private AgentState RemoveOffer(Offer offer)
    {
        var agent = _agents[offer.AgentId];
        agent.Offers.Remove(offer.OfferId);
        _offers.Remove(offer.OfferId);
        return agent;
    }

    private void Return(AgentState agent, Offer offer, Res resources)
    {
        agent.Free = agent.Free.Plus(resources);
        if (ClientOf(offer.FrameworkId, offer.Role) is { } client)
        {
            Charge(client, resources, -1);
        }
    }

    private List<Offer> RescindAll(Offer[] offers)
    {
        foreach (var offer in offers)
        {
            Return(RemoveOffer(offer), offer, offer.Resources);
        }

        return [.. offers];
    }

    private void Filter(Offer offer, TimeSpan refuse)
    {
        if (refuse > TimeSpan.Zero && _frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.Filters[(offer.AgentId, offer.Role)] = _time.GetUtcNow() + refuse;
        }
    }

    private void SetSuppressed(string frameworkId, IEnumerable<string>? roles, bool suppressed)
    {
        var framework = Framework(frameworkId);
        foreach (var client in framework.Clients.Values)
        {
            if (roles is null || roles.Contains(client.Role.Name))
            {
                client.Suppressed = suppressed;
            }
        }
    }

    private ClientState? ClientOf(string frameworkId, string role) =>
        _frameworks.TryGetValue(frameworkId, out var framework) && framework.Clients.TryGetValue(role, out var client) ? client : null;

    private AgentState Agent(string agentId) =>
        _agents.GetValueOrDefault(agentId) ?? throw new KeyNotFoundException($"agent '{agentId}' is not known");

    private FrameworkState Framework(string frameworkId) =>
        _frameworks.GetValueOrDefault(frameworkId) ?? throw new KeyNotFoundException($"framework '{frameworkId}' is not known");

    private RoleState Role(string role)
    {
        if (!_roles.TryGetValue(role, out var state))
        {
            state = new RoleState(role);
            _roles.Add(role, state);
        }

        return state;
    }
}
