using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>Join tokens and agent credentials in grain state; decisions by <see cref="Enrollment"/>.</summary>
public sealed class EnrollmentGrain(
    [PersistentState("enrollment", "Default")] IPersistentState<EnrollmentState> state,
    TimeProvider time) : Grain, IEnrollmentGrain
{
    /// <summary>The most join tokens kept.</summary>
    public const int MaxTokens = 1_000;

    /// <inheritdoc />
    public async Task<JoinTokenInfo> CreateToken(string id, DateTimeOffset? expiresAt, int? uses)
    {
        if (state.State.Tokens.ContainsKey(id))
        {
            throw new IdentityException(409, $"join token '{IdentityRules.Printable(id)}' exists already");
        }

        if (state.State.Tokens.Count >= MaxTokens)
        {
            throw new IdentityException(400, $"the cluster keeps at most {MaxTokens} join tokens: revoke and delete old ones");
        }

        if (expiresAt is { } until && until <= time.GetUtcNow())
        {
            throw new IdentityException(400, "the join token would expire before it is made");
        }

        (JoinToken Token, string Text) made;
        try
        {
            made = JoinToken.Create(id, expiresAt, uses);
        }
        catch (ArgumentException ex)
        {
            throw new IdentityException(400, ex.Message.Split(" (Parameter", 2)[0]);
        }

        state.State.Tokens[id] = Store(made.Token);
        await state.WriteOrReloadAsync(this);
        return Info(made.Token) with { Text = made.Text };
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JoinTokenInfo>> ListTokens() =>
        Task.FromResult<IReadOnlyList<JoinTokenInfo>>([.. state.State.Tokens.Values.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => Info(Load(t)))]);

    /// <inheritdoc />
    public async Task RevokeToken(string id)
    {
        var token = state.State.Tokens.GetValueOrDefault(id) ?? throw new IdentityException(404, $"no join token '{IdentityRules.Printable(id)}'");
        state.State.Tokens[id] = token with { Revoked = true };
        await state.WriteOrReloadAsync(this);
    }

    /// <inheritdoc />
    public async Task<EnrollmentAnswer> Enroll(string? presented, string agentId)
    {
        // Only the entries the decision can look at (the token the text names, the agent registering): O(1) per registration.
        var tokenId = presented?.Split('.', 2)[0] ?? "";
        var tokens = state.State.Tokens.TryGetValue(tokenId, out var stored) ? new Dictionary<string, JoinToken> { [tokenId] = Load(stored) } : [];
        var agents = state.State.Agents.TryGetValue(agentId, out var a)
            ? new Dictionary<string, AgentCredential> { [agentId] = new(a.AgentId, a.SecretHash, a.AdmittedBy, a.IssuedAt, a.Revoked) }
            : [];
        var verdict = Enrollment.Decide(tokens, agents, presented, agentId, time.GetUtcNow());
        if (verdict.Issued is not null)
        {
            state.State.Tokens[verdict.UsedToken!.Id] = Store(verdict.UsedToken);
            var agent = verdict.NewAgent!;
            state.State.Agents[agentId] = new EnrolledAgentInfo(agentId, agent.AdmittedBy, agent.IssuedAt, false, agent.SecretHash);
            await state.WriteOrReloadAsync(this);
        }

        return new EnrollmentAnswer(verdict.Problem, verdict.Issued);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EnrolledAgentInfo>> ListAgents() =>
        Task.FromResult<IReadOnlyList<EnrolledAgentInfo>>([.. state.State.Agents.Values.OrderBy(a => a.AgentId, StringComparer.Ordinal).Select(a => a with { SecretHash = "" })]);

    /// <inheritdoc />
    public async Task RevokeAgent(string agentId)
    {
        var agent = state.State.Agents.GetValueOrDefault(agentId) ?? throw new IdentityException(404, $"no enrolled agent '{IdentityRules.Printable(agentId)}'");
        state.State.Agents[agentId] = agent with { Revoked = true };
        await state.WriteOrReloadAsync(this);
        await GrainFactory.GetGrain<IAgentGrain>(agentId).Remove();
    }

    private static StoredJoinToken Store(JoinToken t) => new(t.Id, t.SecretHash, t.ExpiresAt, t.UsesLeft, t.Revoked);

    private static JoinToken Load(StoredJoinToken t) => new(t.Id, t.SecretHash, t.ExpiresAt, t.UsesLeft, t.Revoked);

    private static JoinTokenInfo Info(JoinToken t) => new(t.Id, t.ExpiresAt, t.UsesLeft, t.Revoked);
}
