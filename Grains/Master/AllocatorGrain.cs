using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The allocator as a grain around the pure <see cref="Allocator"/>: cycles run on a timer and shortly
/// after each change; offers are sent to their frameworks (one-way, so no call cycle with the frameworks
/// that call in here); rescinded offers are announced. After a failover the view is rebuilt from the agent
/// and framework registries: every agent reports its total and its tasks again.
/// </summary>
internal sealed class AllocatorGrain(
    [PersistentState("allocator")] IPersistentState<AllocatorGrainState> state,
    IOptions<MasterOptions> options,
    TimeProvider time,
    RandomSource random,
    ILogger<AllocatorGrain> logger) : Grain, IAllocatorGrain
{
    private readonly MasterOptions _options = options.Value;
    private readonly Dictionary<string, FrameworkMode> _frameworks = new(StringComparer.Ordinal);
    private Allocator _allocator = null!;
    private IDisposable? _soon;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _allocator = new Allocator(
            new AllocatorOptions { OfferTimeout = _options.OfferTimeout },
            time,
            random.Create(),
            $"{Guid.NewGuid():N}"[..12]);
        foreach (var (role, weight) in state.State.Weights)
        {
            _allocator.SetWeight(role, weight);
        }

        foreach (var quota in state.State.Quotas.Values)
        {
            _allocator.SetQuota(quota.Role, ToQuota(quota));
        }

        this.RegisterGrainTimer(_ => CycleAsync(expire: true), _options.AllocationInterval, _options.AllocationInterval);
        // After a (re)activation every registered agent and framework reports itself again; then, on a timer, those it
        // still does not know are asked again (a call that met a dying silo would otherwise leave them out for good).
        this.RegisterGrainTimer(_ => AskUnknownToReportAsync(), TimeSpan.Zero, ReportAgainInterval);
        return Task.CompletedTask;
    }

    /// <summary>Each agent's address and port (offers carry them as their <c>url</c>).</summary>
    private readonly Dictionary<string, (string Address, int Port)> _endpoints = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task AddAgent(AgentInfo agent, IReadOnlyList<AgentTask> tasks)
    {
        var rescinded = _allocator.HasAgent(agent.AgentId) ? _allocator.RemoveAgent(agent.AgentId) : [];
        var used = tasks.Where(t => !t.State.IsTerminal())
            .Select(t => (t.FrameworkId, t.Role, t.Resources))
            .ToArray();
        var descriptor = new AgentDescriptor(agent.AgentId, agent.Hostname, AgentAttributes.Parse(agent.Attributes))
        {
            Region = agent.Region,
            Zone = agent.Zone,
            HasGpus = agent.Resources.ScalarTotal(Res.Gpus) > Scheduling.Resources.Scalar.Zero,
        };
        _endpoints[agent.AgentId] = (agent.Address ?? agent.Hostname, agent.Port);
        _allocator.AddAgent(descriptor, agent.Resources, used);
        await AnnounceRescindedAsync(rescinded);
        ScheduleSoon();
    }

    /// <inheritdoc />
    public Task RemoveAgent(string agentId) =>
        _allocator.HasAgent(agentId) ? AnnounceRescindedAsync(_allocator.RemoveAgent(agentId)) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task SetAgentActive(string agentId, bool active)
    {
        if (_allocator.HasAgent(agentId))
        {
            await AnnounceRescindedAsync(_allocator.SetAgentActive(agentId, active));
            ScheduleSoon();
        }
    }

    /// <inheritdoc />
    public async Task AddFramework(string frameworkId, IReadOnlyList<string> roles, bool active, bool suppressed, bool gpuAware = false)
    {
        if (_allocator.HasFramework(frameworkId))
        {
            // A resubscription or a resync: offers made before are void; usage stays as it is; its roles may have changed.
            await AnnounceRescindedAsync(_allocator.RescindOffersOf(frameworkId));
            _allocator.UpdateFrameworkRoles(frameworkId, roles, gpuAware);
        }
        else
        {
            _allocator.AddFramework(frameworkId, roles, gpuAware);
        }

        _frameworks[frameworkId] = new FrameworkMode(active, suppressed);
        ApplyMode(frameworkId);
        ScheduleSoon();
    }

    /// <inheritdoc />
    public async Task SetFrameworkActive(string frameworkId, bool active)
    {
        if (!_frameworks.TryGetValue(frameworkId, out var mode))
        {
            return;
        }

        _frameworks[frameworkId] = mode with { Active = active };
        ApplyMode(frameworkId);
        if (!active)
        {
            // Offers of an absent framework would sit unused: give them to others.
            await AnnounceRescindedAsync(_allocator.RescindOffersOf(frameworkId));
        }

        ScheduleSoon();
    }

    /// <inheritdoc />
    public async Task RemoveFramework(string frameworkId)
    {
        if (_allocator.HasFramework(frameworkId))
        {
            await AnnounceRescindedAsync(_allocator.RemoveFramework(frameworkId));
        }

        _frameworks.Remove(frameworkId);
        ScheduleSoon();
    }

    /// <inheritdoc />
    public Task<string?> Accept(string frameworkId, IReadOnlyList<string> offerIds, IReadOnlyDictionary<string, Res> used, TimeSpan? refuse, IReadOnlyList<OfferOperation>? conversions = null)
    {
        var offers = offerIds.Distinct().Select(id => _allocator.FindOffer(id)).ToArray();
        var problem = offers.Any(o => o is null) ? $"offers {string.Join(", ", offerIds.Where(id => _allocator.FindOffer(id) is null))} are no longer valid"
            : offers.Any(o => o!.FrameworkId != frameworkId) ? "an offer belongs to another framework"
            : offers.Select(o => o!.AgentId).Distinct().Count() > 1 ? "the offers are on different agents"
            : null;
        var operations = (conversions ?? []).Select(c => c.AsConversion()!).ToArray();
        if (problem is null)
        {
            // All or nothing: the conversions are tried on a copy of each role's offers, and the launches checked
            // against the offers of the role each is allocated to.
            try
            {
                var byRole = offers.GroupBy(o => o!.Role, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Aggregate(Res.Empty, (sum, o) => sum.Plus(o!.Resources)), StringComparer.Ordinal);
                foreach (var operation in operations)
                {
                    var role = operation.Resources.Roles.FirstOrDefault() ?? Resource.AnyRole;
                    byRole[role] = operation.Apply(byRole.TryGetValue(role, out var held) ? held
                        : throw new ResourceOperationException($"{operation.Type} of {operation.Resources}: none of the offers is for role '{role}'"));
                }

                problem = used.Where(u => !u.Value.IsEmpty).FirstOrDefault(u => !byRole.TryGetValue(u.Key, out var held) || !held.Contains(u.Value)) is { Key: not null } lacking
                    ? $"the offers for role '{lacking.Key}' do not hold {lacking.Value}"
                    : null;
                if (problem is null && operations.Length > 0)
                {
                    offers = [.. _allocator.Convert(offers.Select(o => o!.OfferId).ToArray(), operations)];
                }
            }
            catch (ResourceOperationException ex)
            {
                problem = ex.Message;
            }
        }

        var need = problem is null ? used.ToDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal) : [];
        foreach (var offer in offers.OfType<Offer>().Where(o => o.FrameworkId == frameworkId))
        {
            if (problem is not null)
            {
                _allocator.Decline(offer.OfferId, refuse);
                MasterMeters.OffersDeclined.Add(1);
                continue;
            }

            MasterMeters.OffersAccepted.Add(1);

            // Split each role's need over that role's offers: each gives what it has of what is still needed.
            var wanted = need.GetValueOrDefault(offer.Role, Res.Empty);
            var part = offer.Resources.Intersect(wanted);
            need[offer.Role] = wanted.Minus(part);
            _allocator.Accept(offer.OfferId, part, refuse);
        }

        ScheduleSoon();
        return Task.FromResult(problem);
    }

    /// <inheritdoc />
    public async Task ConvertUnallocated(string agentId, IReadOnlyList<OfferOperation> conversions)
    {
        if (!_allocator.HasAgent(agentId))
        {
            throw new MasterValidationException($"agent '{agentId}' is not connected: its resources cannot be changed now");
        }

        IReadOnlyList<Offer> rescinded;
        try
        {
            rescinded = _allocator.ConvertUnallocated(agentId, conversions.Select(c => c.AsConversion()!).ToArray());
        }
        catch (ResourceOperationException ex)
        {
            throw new MasterValidationException(ex.Message);
        }

        await AnnounceRescindedAsync(rescinded);
        ScheduleSoon();
    }

    /// <inheritdoc />
    public Task Decline(string frameworkId, IReadOnlyList<string> offerIds, TimeSpan? refuse)
    {
        foreach (var id in offerIds.Distinct())
        {
            if (_allocator.FindOffer(id) is { } offer && offer.FrameworkId == frameworkId)
            {
                _allocator.Decline(id, refuse);
                MasterMeters.OffersDeclined.Add(1);
            }
        }

        ScheduleSoon();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Suppress(string frameworkId, IReadOnlyList<string>? roles) => SetSuppressed(frameworkId, roles, true);

    /// <inheritdoc />
    public Task Revive(string frameworkId, IReadOnlyList<string>? roles) => SetSuppressed(frameworkId, roles, false);

    /// <inheritdoc />
    public Task Recover(string agentId, string frameworkId, string role, Res resources)
    {
        if (_allocator.HasAgent(agentId))
        {
            try
            {
                _allocator.Recover(agentId, frameworkId, role, resources);
                ScheduleSoon();
            }
            catch (InvalidOperationException ex)
            {
                // After a failover the view may not hold a task whose end arrives late: nothing to give back.
                MasterLog.RecoverSkipped(logger, ex.Message);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task SetWeights(IReadOnlyList<RoleWeight> weights)
    {
        foreach (var weight in weights)
        {
            if (!RoleNames.IsValid(weight.Role))
            {
                throw new MasterValidationException($"'{weight.Role}' is not a valid role name");
            }

            if (!(weight.Weight > 0) || double.IsInfinity(weight.Weight))
            {
                throw new MasterValidationException($"weight of role '{weight.Role}' must be a positive number (is {weight.Weight})");
            }
        }

        var configured = state.State.Weights.Keys.Union(weights.Select(w => w.Role), StringComparer.Ordinal).Count();
        if (configured > RoleNames.MaxConfigured)
        {
            throw new MasterValidationException($"at most {RoleNames.MaxConfigured} roles may have a weight (this update makes {configured})");
        }

        foreach (var weight in weights)
        {
            _allocator.SetWeight(weight.Role, weight.Weight);
            state.State.Weights[weight.Role] = weight.Weight;
        }

        await state.WriteStateAsync();
        ScheduleSoon();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleWeight>> GetWeights() =>
        Task.FromResult<IReadOnlyList<RoleWeight>>(state.State.Weights.Select(w => new RoleWeight(w.Key, w.Value)).OrderBy(w => w.Role, StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public async Task SetQuota(RoleQuotaInfo quota)
    {
        if (!RoleNames.IsValid(quota.Role))
        {
            throw new MasterValidationException($"'{quota.Role}' is not a valid role name");
        }

        if (!state.State.Quotas.ContainsKey(quota.Role) && state.State.Quotas.Count >= RoleNames.MaxConfigured)
        {
            throw new MasterValidationException($"at most {RoleNames.MaxConfigured} roles may have a quota");
        }

        RoleQuota parsed;
        try
        {
            parsed = ToQuota(quota);
            _allocator.SetQuota(quota.Role, parsed);
        }
        catch (ArgumentException ex)
        {
            throw new MasterValidationException($"quota of role '{quota.Role}': {ex.Message}");
        }

        if (parsed.Guarantee.IsEmpty && parsed.Limit.IsEmpty)
        {
            state.State.Quotas.Remove(quota.Role);
        }
        else
        {
            state.State.Quotas[quota.Role] = quota;
        }

        await state.WriteStateAsync();
        ScheduleSoon();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleQuotaInfo>> GetQuotas() =>
        Task.FromResult<IReadOnlyList<RoleQuotaInfo>>(state.State.Quotas.Values.OrderBy(q => q.Role, StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public Task<AllocatorSnapshot> GetSnapshot()
    {
        var agents = _allocator.AgentIds.Select(id =>
        {
            var a = _allocator.DescribeAgent(id);
            return new AgentAllocationInfo(id, a.Total, a.Free, a.Offered, a.Used, a.Active);
        }).ToArray();
        var shares = _allocator.FrameworkIds.ToDictionary(id => id, id => _allocator.FrameworkShare(id), StringComparer.Ordinal);
        var roleShares = _allocator.RoleNames.ToDictionary(r => r, r => _allocator.RoleShare(r), StringComparer.Ordinal);
        return Task.FromResult(new AllocatorSnapshot(agents, _allocator.Offers.Select(ToInfo).ToArray(), roleShares, shares));
    }

    /// <inheritdoc />
    public Task Ping() => Task.CompletedTask;

    private OfferInfo ToInfo(Offer offer)
    {
        var (address, port) = _endpoints.GetValueOrDefault(offer.AgentId, (offer.Agent.Hostname, AgentInfo.DefaultPort));
        return new(offer.OfferId, offer.FrameworkId, offer.AgentId, offer.Agent.Hostname, offer.Role, offer.Resources, offer.Agent.Attributes.ToString(),
            address, port, offer.Agent.Region, offer.Agent.Zone, offer.Agent.HasGpus);
    }

    private static RoleQuota ToQuota(RoleQuotaInfo quota) => new(quota.Guarantee ?? Res.Empty, quota.Limit ?? Res.Empty);

    private Task SetSuppressed(string frameworkId, IReadOnlyList<string>? roles, bool suppressed)
    {
        if (!_frameworks.TryGetValue(frameworkId, out var mode))
        {
            return Task.CompletedTask;
        }

        if (roles is null)
        {
            _frameworks[frameworkId] = mode with { Suppressed = suppressed, SuppressedRoles = null };
        }
        else
        {
            var set = new HashSet<string>(mode.SuppressedRoles ?? [], StringComparer.Ordinal);
            foreach (var role in roles)
            {
                if (suppressed)
                {
                    set.Add(role);
                }
                else
                {
                    set.Remove(role);
                }
            }

            _frameworks[frameworkId] = mode with { SuppressedRoles = set };
        }

        ApplyMode(frameworkId);
        if (!suppressed)
        {
            _allocator.Revive(frameworkId, roles);
            ApplyMode(frameworkId);
        }

        ScheduleSoon();
        return Task.CompletedTask;
    }

    /// <summary>Suppresses in the pure allocator whatever the framework's mode says may not be offered.</summary>
    private void ApplyMode(string frameworkId)
    {
        var mode = _frameworks[frameworkId];
        if (!mode.Active || mode.Suppressed)
        {
            _allocator.Suppress(frameworkId);
            return;
        }

        _allocator.Unsuppress(frameworkId, null);
        if (mode.SuppressedRoles is { Count: > 0 } roles)
        {
            _allocator.Suppress(frameworkId, roles);
        }
    }

    private void ScheduleSoon()
    {
        _soon ??= this.RegisterGrainTimer(_ =>
        {
            _soon?.Dispose();
            _soon = null;
            return CycleAsync(expire: false);
        }, _options.AllocationBatchDelay, Timeout.InfiniteTimeSpan);
    }

    private async Task CycleAsync(bool expire)
    {
        if (expire)
        {
            await AnnounceRescindedAsync(_allocator.ExpireOffers());
        }

        var started = Stopwatch.GetTimestamp();
        var offers = _allocator.Allocate();
        MasterMeters.AllocationRun.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        MasterMeters.OffersMade.Add(offers.Count);
        foreach (var group in offers.GroupBy(o => o.FrameworkId))
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(group.Key).ReceiveOffers(group.Select(ToInfo).ToArray());
        }
    }

    private async Task AnnounceRescindedAsync(IReadOnlyList<Offer> rescinded)
    {
        MasterMeters.OffersRescinded.Add(rescinded.Count);
        foreach (var group in rescinded.GroupBy(o => o.FrameworkId))
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(group.Key).Rescind(group.Select(o => o.OfferId).ToArray());
        }
    }

    /// <summary>How often the allocator asks the registered agents and frameworks it does not know to report themselves.</summary>
    private static readonly TimeSpan ReportAgainInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Every registered agent and framework this allocator does not know reports itself (all of them after an
    /// activation). One that cannot be asked now is asked at the next interval; the others go on.
    /// </summary>
    private async Task AskUnknownToReportAsync()
    {
        var failed = 0;
        Exception? last = null;
        async Task AskAsync(Func<Task> ask)
        {
            try
            {
                await ask();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failed++;
                last = ex;
            }
        }

        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            IReadOnlyDictionary<string, bool> agents = new Dictionary<string, bool>();
            await AskAsync(async () => agents = await GrainFactory.GetGrain<IRegistryGrain>(shard).List());
            foreach (var (agentId, removed) in agents)
            {
                if (!removed && !_allocator.HasAgent(agentId))
                {
                    await AskAsync(() => GrainFactory.GetGrain<IAgentGrain>(agentId).Resync());
                }
            }
        }

        IReadOnlyDictionary<string, bool> frameworks = new Dictionary<string, bool>();
        await AskAsync(async () => frameworks = await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).List());
        foreach (var (frameworkId, removed) in frameworks)
        {
            if (!removed && !_frameworks.ContainsKey(frameworkId))
            {
                await AskAsync(() => GrainFactory.GetGrain<IFrameworkGrain>(frameworkId).Resync());
            }
        }

        if (failed > 0)
        {
            MasterLog.ReportAskFailed(logger, failed, last!.Message, ReportAgainInterval);
        }
    }

    private sealed record FrameworkMode(bool Active, bool Suppressed, HashSet<string>? SuppressedRoles = null);
}
